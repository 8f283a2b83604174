/**
 * `integrity.audit` at fog, in bulk. Rows are grouped by the ledger batch their
 * receipt names (one group per call and batch, with its stored proof: header
 * and outside nodes). Per row one canonical hash; per group one bottom-up
 * rebuild of the batch root from the stored hashes (≈ one hash a row) and one
 * confirmation of the batch against the ledger. So a 100,000-row audit costs
 * ~200,000 hashes and a few dozen ledger queries.
 *
 * A row whose re-hash differs from its stored hash is tampered (`record`).
 * When a group's root does not rebuild, something in its receipts changed;
 * each of its rows is then checked against the ledger's own receipt for its
 * key (`ledger.get`), which names the part. Receipts whose row is gone are
 * missing; rows without a receipt are unrecorded; a proof that no longer
 * rebuilds while every row agrees with the ledger is reported as damaged.
 */
import {
  type CompactBatch,
  expandCompactReceipts,
  type LedgerRecord,
  type Receipt,
  rebuildBatch,
  recordLeafHash,
} from '../../ledger/index.ts'
import type { IntegrityLedger } from './integrity-ledger.ts'
import { compareWithLedger, type ReceiptPart } from './integrity-receipt.ts'
import { type IntegrityRecord, integrityLedgerKey, recordHash } from './integrity-record.ts'

/** A stored row as the fog database hands it to the audit. */
export type StoredRow = IntegrityRecord & { readonly hostId: string }

/** A stored receipt: which row, the hash it proves, where it sits in which ledger batch. */
export type StoredReceipt = {
  readonly table: string
  readonly hostId: string
  readonly id: string
  readonly recordHash: string
  /** The signed call (integrity_batches) it came in. */
  readonly batchDigest: string
  readonly batchId: string
  readonly leafIndex: number
}

/** A stored proof: one ledger batch as one call's records sit in it. */
export type StoredProof = { readonly batchDigest: string; readonly batch: CompactBatch }

export type RowRef = { readonly table: string; readonly hostId: string; readonly id: string }

export type AuditReport = {
  readonly checked: number
  readonly intact: number
  readonly tampered: (RowRef & { readonly part: ReceiptPart; readonly reason: string })[]
  readonly missing: RowRef[]
  readonly unrecorded: RowRef[]
  /** Stored proofs that no longer rebuild although every row of theirs agrees with the ledger. */
  readonly damagedProofs: { readonly batchDigest: string; readonly batchId: string }[]
  /** Distinct batches confirmed against the ledger. */
  readonly batchesConfirmed: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Problem = { part: ReceiptPart; reason: string }
type Member = {
  ref: RowRef
  receipt: StoredReceipt
  /** The stored row, when there is one. */
  row: StoredRow | undefined
  present: boolean
  problem: Problem | null
}
type Group = { digest: string; batchId: string; members: Member[] }

const refKey = (ref: RowRef): string => `${ref.table}\u0000${ref.hostId}\u0000${ref.id}`

/** Audits `rows` against `receipts`, `proofs` and the ledger. */
export async function auditRows(
  ledger: IntegrityLedger,
  rows: readonly StoredRow[],
  receipts: readonly StoredReceipt[],
  proofs: readonly StoredProof[],
): Promise<AuditReport> {
  const report: Mutable<AuditReport> = {
    checked: 0,
    intact: 0,
    tampered: [],
    missing: [],
    unrecorded: [],
    damagedProofs: [],
    batchesConfirmed: 0,
  }
  const groups = groupReceipts(rows, receipts, report)
  const proofOf = new Map(proofs.map((p) => [`${p.batchDigest}|${p.batch.batchId}`, p.batch]))
  const rebuilt: { group: Group; first: Receipt }[] = []
  const failing: Group[] = []
  for (const group of groups.values()) {
    const first = rebuildGroup(group, proofOf.get(`${group.digest}|${group.batchId}`))
    if (first) rebuilt.push({ group, first })
    else failing.push(group)
  }
  // Every batch that rebuilt is confirmed in one ledger round trip, each distinct batch once;
  // the rows are re-hashed (the CPU-bound part) while the ledger answers.
  const distinct = new Map(rebuilt.map(({ first }) => [batchIdentity(first), first]))
  const answered = ledger.verifyMany([...distinct.values()])
  for (const group of groups.values()) rehashMembers(group)
  const results = await answered
  const confirmations = new Map<string, Promise<Problem | null>>()
  ;[...distinct].forEach(([id, receipt], i) => {
    const result = results[i] ?? { valid: false, reason: 'the ledger gave no answer' }
    confirmations.set(id, result.valid ? Promise.resolve(null) : explain(ledger, receipt))
  })
  const confirm = (receipt: Receipt) => {
    const id = batchIdentity(receipt)
    let done = confirmations.get(id)
    if (!done) {
      done = confirmBatch(ledger, receipt)
      confirmations.set(id, done)
    }
    return done
  }
  for (const { group, first } of rebuilt) settle(group, await confirm(first), report)
  for (const group of failing) await pinpoint(ledger, group, confirm, report)
  return { ...report, batchesConfirmed: confirmations.size }
}

/** Groups receipts by call and ledger batch, each with its row; rows without receipts are unrecorded. */
function groupReceipts(
  rows: readonly StoredRow[],
  receipts: readonly StoredReceipt[],
  report: Mutable<AuditReport>,
): Map<string, Group> {
  const rowIndex = new Map<string, number>()
  for (let i = 0; i < rows.length; i++) rowIndex.set(refKey(rows[i] as StoredRow), i)
  const matched = new Uint8Array(rows.length)
  const groups = new Map<string, Group>()
  // Receipts arrive call by call: most share the group of the one before, without a lookup.
  let last: Group | undefined
  for (const receipt of receipts) {
    const ref = { table: receipt.table, hostId: receipt.hostId, id: receipt.id }
    const at = rowIndex.get(refKey(ref))
    const row = at === undefined ? undefined : rows[at]
    const member: Member = { ref, receipt, row, present: row !== undefined, problem: null }
    if (at !== undefined) {
      matched[at] = 1
      report.checked++
    } else report.missing.push(ref)
    if (last?.digest !== receipt.batchDigest || last.batchId !== receipt.batchId) {
      const id = `${receipt.batchDigest}|${receipt.batchId}`
      last = groups.get(id)
      if (!last) {
        last = { digest: receipt.batchDigest, batchId: receipt.batchId, members: [] }
        groups.set(id, last)
      }
    }
    last.members.push(member)
  }
  rows.forEach((row, i) => {
    if (matched[i]) return
    report.checked++
    report.unrecorded.push({ table: row.table, hostId: row.hostId, id: row.id })
  })
  return groups
}

/** Re-hashes each present row of the group: a row that no longer hashes to its receipt changed. */
function rehashMembers(group: Group): void {
  for (const member of group.members) {
    if (member.row) member.problem = rehash(member.row, member.receipt.recordHash)
  }
}

function rehash(row: StoredRow, stored: string): Problem | null {
  try {
    return recordHash(row, row.hostId) === stored
      ? null
      : { part: 'record', reason: 'the row changed since it was recorded' }
  } catch {
    return { part: 'record', reason: 'the row no longer canonicalizes' }
  }
}

const HASH = /^[0-9a-f]{64}$/
/** The leaf of a stored hash that is not a hash at all: matches no tree, so the group is pinpointed. */
const NO_LEAF = new Uint8Array(32)

const ledgerRecordOf = (receipt: StoredReceipt): LedgerRecord => ({
  kind: 'feature_hash',
  key: integrityLedgerKey(receipt.hostId, receipt.table, receipt.id),
  dataHex: receipt.recordHash,
})

/** Rebuilds the group's root from the stored hashes: the full receipt of its first row, or null. */
function rebuildGroup(group: Group, batch: CompactBatch | undefined): Receipt | null {
  if (!batch) return null
  const records = group.members.map((m) => ledgerRecordOf(m.receipt))
  const leaves = group.members.map(
    (m, i) =>
      [
        m.receipt.leafIndex,
        HASH.test(m.receipt.recordHash) ? recordLeafHash(records[i] as LedgerRecord) : NO_LEAF,
      ] as const,
  )
  const rebuilt = rebuildBatch(batch, leaves)
  if (!rebuilt || Buffer.from(rebuilt.root).toString('hex') !== batch.batchRoot) return null
  return expandCompactReceipts(
    [records[0] as LedgerRecord],
    { batches: [batch], batchOf: [0], leafIndex: [group.members[0]?.receipt.leafIndex as number] },
    [rebuilt],
  )[0] as Receipt
}

/** A group whose root rebuilt: each present row is intact unless it changed or the batch fails. */
function settle(group: Group, chain: Problem | null, report: Mutable<AuditReport>): void {
  for (const member of group.members) {
    if (!member.present) continue
    const problem = member.problem ?? chain
    if (problem) report.tampered.push({ ...member.ref, ...problem })
    else report.intact++
  }
}

const PINPOINT_CONCURRENCY = 64

/** A group whose root no longer rebuilds: each row against the ledger's receipt for its key. */
async function pinpoint(
  ledger: IntegrityLedger,
  group: Group,
  confirm: (receipt: Receipt) => Promise<Problem | null>,
  report: Mutable<AuditReport>,
): Promise<void> {
  let faults = 0
  // At most PINPOINT_CONCURRENCY ledger reads at once: a large damaged group must not flood the
  // ledger actor's mailbox.
  for (let first = 0; first < group.members.length; first += PINPOINT_CONCURRENCY) {
    await Promise.all(
      group.members.slice(first, first + PINPOINT_CONCURRENCY).map(async (member) => {
        const key = integrityLedgerKey(member.ref.hostId, member.ref.table, member.ref.id)
        const held = await ledger.get(key)
        const problem = member.problem ?? (await againstLedger(member.receipt, key, held, confirm))
        if (problem) faults++
        if (!member.present) return
        if (problem) report.tampered.push({ ...member.ref, ...problem })
        else report.intact++
      }),
    )
  }
  if (faults === 0) report.damagedProofs.push({ batchDigest: group.digest, batchId: group.batchId })
}

async function againstLedger(
  receipt: StoredReceipt,
  key: string,
  held: Receipt | null,
  confirm: (receipt: Receipt) => Promise<Problem | null>,
): Promise<Problem | null> {
  if (!held) return { part: 'ledger', reason: `the ledger holds no ${key}` }
  if (held.record.dataHex !== receipt.recordHash)
    return { part: 'record', reason: 'the stored hash is not the one the ledger holds' }
  if (held.leafIndex !== receipt.leafIndex)
    return { part: 'proof', reason: `the ledger holds this record at leaf ${held.leafIndex}` }
  if (held.batchId !== receipt.batchId)
    return { part: 'batch', reason: 'the ledger holds this record in another batch' }
  return confirm(held)
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
  return chain.valid ? null : explain(ledger, receipt)
}

/** What differs from the ledger about a batch the ledger did not confirm. */
async function explain(ledger: IntegrityLedger, receipt: Receipt): Promise<Problem> {
  const held = await ledger.get(receipt.record.key)
  if (!held) return { part: 'ledger', reason: `the ledger holds no ${receipt.record.key}` }
  const agreed = compareWithLedger(receipt, held)
  if (!agreed.valid) return { part: agreed.part, reason: agreed.reason }
  return { part: 'chain', reason: 'the chain does not prove the batch' }
}
