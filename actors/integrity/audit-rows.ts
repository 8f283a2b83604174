/**
 * `integrity.audit` at fog, in bulk: every stored row is re-hashed and its
 * stored receipt re-checked offline; each distinct batch (batch id, root,
 * height, tree size, tx) is confirmed against the ledger once, so a 100,000-
 * row audit costs 100,000 hashes and proofs but only a few ledger queries.
 * Reports rows whose content or receipt changed (tampered, with the part),
 * receipts whose row is gone (missing) and rows without a receipt
 * (unrecorded), by table, host and id.
 */
import type { Receipt } from '../../ledger/index.ts'
import type { IntegrityLedger } from './integrity-ledger.ts'
import { checkReceiptOffline, compareWithLedger, type ReceiptPart } from './integrity-receipt.ts'
import { type IntegrityRecord, integrityLedgerKey, recordHash } from './integrity-record.ts'

/** A stored row as the fog database hands it to the audit. */
export type StoredRow = IntegrityRecord & { readonly hostId: string }

/** A stored receipt: which row it is for, the hash it proves, the ledger receipt. */
export type StoredReceipt = {
  readonly table: string
  readonly hostId: string
  readonly id: string
  readonly recordHash: string
  readonly ledger: Receipt
}

export type RowRef = { readonly table: string; readonly hostId: string; readonly id: string }

export type AuditReport = {
  readonly checked: number
  readonly intact: number
  readonly tampered: (RowRef & { readonly part: ReceiptPart; readonly reason: string })[]
  readonly missing: RowRef[]
  readonly unrecorded: RowRef[]
  /** Distinct batches confirmed against the ledger. */
  readonly batchesConfirmed: number
}

const refKey = (ref: RowRef): string => `${ref.table}\u0000${ref.hostId}\u0000${ref.id}`

/** Audits `rows` against `receipts` and the ledger. */
export async function auditRows(
  ledger: IntegrityLedger,
  rows: readonly StoredRow[],
  receipts: readonly StoredReceipt[],
): Promise<AuditReport> {
  const rowsByRef = new Map(rows.map((row) => [refKey(row), row]))
  const report: { -readonly [K in keyof AuditReport]: AuditReport[K] } = {
    checked: 0,
    intact: 0,
    tampered: [],
    missing: [],
    unrecorded: [],
    batchesConfirmed: 0,
  }
  const batchChecks = new Map<string, Promise<Problem | null>>()
  const pending: { ref: RowRef; batch: Promise<Problem | null> }[] = []
  const receiptRefs = new Set<string>()
  for (const stored of receipts) {
    const ref = { table: stored.table, hostId: stored.hostId, id: stored.id }
    receiptRefs.add(refKey(ref))
    const row = rowsByRef.get(refKey(ref))
    if (!row) {
      report.missing.push(ref)
      continue
    }
    report.checked++
    const problem = checkStored(row, stored)
    if (problem) {
      report.tampered.push({ ...ref, ...problem })
      continue
    }
    const batchKey = batchIdentity(stored.ledger)
    let batch = batchChecks.get(batchKey)
    if (!batch) {
      batch = confirmBatch(ledger, stored.ledger)
      batchChecks.set(batchKey, batch)
    }
    pending.push({ ref, batch })
  }
  for (const { ref, batch } of pending) {
    const problem = await batch
    if (problem === null) report.intact++
    else report.tampered.push({ ...ref, ...problem })
  }
  for (const row of rows) {
    if (!receiptRefs.has(refKey(row))) {
      report.checked++
      report.unrecorded.push({ table: row.table, hostId: row.hostId, id: row.id })
    }
  }
  return { ...report, batchesConfirmed: batchChecks.size }
}

type Problem = { part: ReceiptPart; reason: string }

function checkStored(row: StoredRow, stored: StoredReceipt): Problem | null {
  let hash: string
  try {
    hash = recordHash(row, row.hostId)
  } catch {
    return { part: 'record', reason: 'the row no longer canonicalizes' }
  }
  if (hash !== stored.recordHash)
    return { part: 'record', reason: 'the row changed since it was recorded' }
  const check = checkReceiptOffline(
    integrityLedgerKey(row.hostId, row.table, row.id),
    hash,
    stored.ledger,
  )
  return check.valid ? null : { part: check.part, reason: check.reason }
}

function batchIdentity(receipt: Receipt): string {
  return [
    receipt.batchId,
    receipt.batchRoot,
    receipt.height,
    receipt.treeSize,
    receipt.txHash,
    receipt.chainId,
  ].join('|')
}

/**
 * null when the ledger holds this batch as the receipt states it, else what differs. One
 * `ledger.verify` (batch row + tx proof) per batch; the ledger's receipt is fetched only to name
 * the part of one that fails.
 */
async function confirmBatch(ledger: IntegrityLedger, receipt: Receipt): Promise<Problem | null> {
  const chain = await ledger.verify(receipt)
  if (chain.valid) return null
  const held = await ledger.get(receipt.record.key)
  if (!held) return { part: 'ledger', reason: `the ledger holds no ${receipt.record.key}` }
  const agreed = compareWithLedger(receipt, held)
  if (!agreed.valid) return { part: agreed.part, reason: agreed.reason }
  return { part: 'chain', reason: chain.reason ?? 'the chain does not prove the batch' }
}
