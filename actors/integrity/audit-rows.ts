/**
 * `integrity.audit` at fog, in bulk. Rows are grouped by the call their
 * receipt names. Per call: its stored leaves (integrity_batches) must rebuild
 * its stored call root, and the call's entry must rebuild its ledger batch
 * root from the stored proof; then one confirmation of that batch against the
 * ledger (each distinct batch once, all in one round trip). Per row: one
 * canonical hash (compared with the stored hash: `record`), and one leaf
 * (table, id, stored hash) compared with the call's leaf at the row's place
 * (`record` when the hash is not the committed one, `call` when the place is
 * not the record's, `batch` when the receipt names another ledger batch).
 * So a 100,000-row audit costs ~300,000 hashes and a few dozen ledger queries.
 *
 * When a call's leaves do not authenticate (the stored root or proof
 * changed), the ledger is asked for the entry of the leaves' own root: if it
 * holds it, the leaves are authentic and only the proof is damaged
 * (`damagedProofs`). Receipts whose row is gone are missing; rows without a
 * receipt are unrecorded.
 */
import { type CompactBatch, merkleRoot, type Receipt } from '../../ledger/index.ts'
import { callEntryReceipt } from './call-proof.ts'
import { callLedgerKey, leavesFromHex, recordLeaf } from './call-tree.ts'
import type { IntegrityLedger } from './integrity-ledger.ts'
import { compareWithLedger, type ReceiptPart } from './integrity-receipt.ts'
import { type IntegrityRecord, recordHash } from './integrity-record.ts'

/** A stored row as the fog database hands it to the audit. */
export type StoredRow = IntegrityRecord & { readonly hostId: string }

/** A stored receipt: which row, the hash it proves, its place in its call and the call's batch. */
export type StoredReceipt = {
  readonly table: string
  readonly hostId: string
  readonly id: string
  readonly recordHash: string
  /** The signed call (integrity_batches) it came in. */
  readonly batchDigest: string
  /** The ledger batch of the call's entry. */
  readonly batchId: string
  /** The record's place in its call (its leaf index in the call tree). */
  readonly leafIndex: number
}

/** A stored proof: the ledger batch of one call's entry, and the entry's leaf index in it. */
export type StoredProof = {
  readonly batchDigest: string
  readonly batch: CompactBatch
  readonly leafIndex: number
}

/** A stored call: its root and every leaf of its tree (hex, 64 characters a leaf), in order. */
export type StoredCall = {
  readonly digest: string
  readonly hostId: string
  readonly callRoot: string
  readonly leaves: string
  readonly size: number
}

export type RowRef = { readonly table: string; readonly hostId: string; readonly id: string }

export type AuditReport = {
  readonly checked: number
  readonly intact: number
  readonly tampered: (RowRef & { readonly part: ReceiptPart; readonly reason: string })[]
  readonly missing: RowRef[]
  readonly unrecorded: RowRef[]
  /** Stored proofs (call root, ledger proof) that no longer hold although the call's leaves do. */
  readonly damagedProofs: { readonly batchDigest: string; readonly batchId: string }[]
  /** Distinct batches confirmed against the ledger. */
  readonly batchesConfirmed: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Problem = { part: ReceiptPart; reason: string }
type Member = {
  /** The receipt names its row (table, hostId, id). */
  receipt: StoredReceipt
  row: StoredRow | undefined
  problem: Problem | null
}
type Group = { digest: string; hostId: string; members: Member[] }
/** A call whose leaves and proof rebuilt: its leaves and the full receipt of its entry. */
type Authentic = { leaves: Uint8Array[]; entry: Receipt }

const refOf = (ref: RowRef): RowRef => ({ table: ref.table, hostId: ref.hostId, id: ref.id })

/**
 * Row positions by table and host, then by id. Rows and receipts arrive table by table and host
 * by host, so a key text is built only where the table or host changes, not for every row.
 */
type RowIndex = Map<string, Map<string, number>>

const tableHostKey = (ref: RowRef) => `${ref.table}\u0000${ref.hostId}`

function indexRows(rows: readonly StoredRow[]): RowIndex {
  const index: RowIndex = new Map()
  let last: StoredRow | undefined
  let ids: Map<string, number> | undefined
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as StoredRow
    if (!ids || !last || row.table !== last.table || row.hostId !== last.hostId) {
      const key = tableHostKey(row)
      ids = index.get(key) ?? new Map<string, number>()
      index.set(key, ids)
    }
    last = row
    ids.set(row.id, i)
  }
  return index
}

/** Audits `rows` against `receipts`, the stored `calls` and `proofs`, and the ledger. */
export async function auditRows(
  ledger: IntegrityLedger,
  rows: readonly StoredRow[],
  receipts: readonly StoredReceipt[],
  proofs: readonly StoredProof[],
  calls: readonly StoredCall[],
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
  const proofOf = new Map(proofs.map((p) => [p.batchDigest, p]))
  const callOf = new Map(calls.map((c) => [c.digest, c]))
  const authentic: { group: Group; call: Authentic }[] = []
  const failing: Group[] = []
  for (const group of groups.values()) {
    const call = authenticate(group, callOf.get(group.digest), proofOf.get(group.digest))
    if (call) authentic.push({ group, call })
    else failing.push(group)
  }
  // Every call that rebuilt is confirmed in one ledger round trip, each distinct batch once;
  // the rows are re-hashed (the CPU-bound part) while the ledger answers.
  const distinct = new Map(authentic.map(({ call }) => [batchIdentity(call.entry), call.entry]))
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
  for (const { group, call } of authentic) {
    judge(group, call.leaves, call.entry.batchId, await confirm(call.entry), report)
  }
  for (const group of failing) {
    await pinpoint(
      ledger,
      group,
      callOf.get(group.digest),
      proofOf.get(group.digest),
      confirm,
      report,
    )
  }
  return { ...report, batchesConfirmed: confirmations.size }
}

/** Groups receipts by call, each with its row; rows without receipts are unrecorded. */
function groupReceipts(
  rows: readonly StoredRow[],
  receipts: readonly StoredReceipt[],
  report: Mutable<AuditReport>,
): Map<string, Group> {
  const rowIndex = indexRows(rows)
  const matched = new Uint8Array(rows.length)
  const groups = new Map<string, Group>()
  // Receipts arrive call by call: most share the group of the one before, without a lookup.
  let last: Group | undefined
  let previous: StoredReceipt | undefined
  let ids: Map<string, number> | undefined
  for (const receipt of receipts) {
    if (previous?.table !== receipt.table || previous.hostId !== receipt.hostId) {
      ids = rowIndex.get(tableHostKey(receipt))
    }
    previous = receipt
    const at = ids?.get(receipt.id)
    const row = at === undefined ? undefined : rows[at]
    if (at !== undefined) {
      matched[at] = 1
      report.checked++
    } else report.missing.push(refOf(receipt))
    if (last?.digest !== receipt.batchDigest) {
      last = groups.get(receipt.batchDigest)
      if (!last) {
        last = { digest: receipt.batchDigest, hostId: receipt.hostId, members: [] }
        groups.set(receipt.batchDigest, last)
      }
    }
    last.members.push({ receipt, row, problem: null })
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

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** The call's leaves and its entry's receipt when leaves, root and proof all rebuild; else null. */
function authenticate(
  group: Group,
  call: StoredCall | undefined,
  proof: StoredProof | undefined,
): Authentic | null {
  if (!call || !proof || call.hostId !== group.hostId) return null
  const leaves = leavesFromHex(call.leaves)
  if (!leaves || leaves.length !== call.size || leaves.length === 0) return null
  if (hex(merkleRoot(leaves)) !== call.callRoot) return null
  const entry = entryReceipt(group.hostId, call.callRoot, proof)
  return entry ? { leaves, entry } : null
}

/** The full ledger receipt of a call's entry from the stored proof, or null if it fails. */
function entryReceipt(hostId: string, callRoot: string, proof: StoredProof): Receipt | null {
  return callEntryReceipt(hostId, callRoot, proof.batch, proof.leafIndex)
}

const HASH = /^[0-9a-f]{64}$/

/** Each row of a call against the call's authentic leaves; returns how many rows are faulty. */
function judge(
  group: Group,
  leaves: readonly Uint8Array[],
  batchId: string,
  chain: Problem | null,
  report: Mutable<AuditReport>,
): number {
  let known: Set<string> | undefined
  let faults = 0
  for (const member of group.members) {
    const problem = member.problem ?? placeOf(member.receipt) ?? chain
    if (problem) faults++
    if (!member.row) continue
    if (problem) report.tampered.push({ ...refOf(member.receipt), ...problem })
    else report.intact++
  }
  return faults

  function placeOf(receipt: StoredReceipt): Problem | null {
    if (!HASH.test(receipt.recordHash)) {
      return { part: 'record', reason: 'the stored hash is not a 32-byte hash' }
    }
    const leaf = recordLeaf(receipt.hostId, receipt.table, receipt.id, receipt.recordHash)
    const at = leaves[receipt.leafIndex]
    if (!at || Buffer.compare(at, leaf) !== 0) {
      known ??= new Set(leaves.map(hex))
      return known.has(hex(leaf))
        ? { part: 'call', reason: 'the stored place is not the record’s place in its call' }
        : { part: 'record', reason: 'the stored hash is not the one the call committed' }
    }
    if (receipt.batchId !== batchId) {
      return { part: 'batch', reason: 'the receipt names another ledger batch than its call’s' }
    }
    return null
  }
}

/**
 * A call whose stored root or proof no longer rebuilds: the ledger is asked for the entry of
 * its stored leaves' own root. Held: the leaves are authentic, the rows are judged against
 * them and the proof is reported damaged. Not held: nothing here authenticates the call.
 */
async function pinpoint(
  ledger: IntegrityLedger,
  group: Group,
  call: StoredCall | undefined,
  proof: StoredProof | undefined,
  confirm: (receipt: Receipt) => Promise<Problem | null>,
  report: Mutable<AuditReport>,
): Promise<void> {
  const leaves = call && call.hostId === group.hostId ? leavesFromHex(call.leaves) : null
  const root = leaves && leaves.length > 0 ? hex(merkleRoot(leaves)) : undefined
  const held = root ? await ledger.get(callLedgerKey(group.hostId, root)) : null
  if (leaves && held && held.record.dataHex === root) {
    judge(group, leaves, held.batchId, await confirm(held), report)
    report.damagedProofs.push({ batchDigest: group.digest, batchId: proof?.batch.batchId ?? '' })
    return
  }
  const lost: Problem = {
    part: 'ledger',
    reason: 'the ledger holds no entry for the call’s stored leaves: its leaves were altered',
  }
  for (const member of group.members) {
    if (member.row) report.tampered.push({ ...refOf(member.receipt), ...(member.problem ?? lost) })
  }
}

/** What one ledger confirmation covers: the batch a receipt names, as the receipt states it. */
export function batchIdentity(receipt: Receipt): string {
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
