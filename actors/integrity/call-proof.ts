/**
 * The compact proof of one `integrity.record` call (ledger/merkle/compact-receipts.ts) checked
 * against the call's records: each record's ledger record (key in the host's namespace, its
 * hash as data) gives its leaf, and each Merkle batch's root is rebuilt bottom-up from the
 * call's leaves and the batch's outside nodes — about one hash per record instead of one
 * audit-path walk (log n hashes) each. Pure and offline: whether the batches sit on the
 * chain is the ledger's part (`ledger.verify`, once per batch).
 */
import {
  type BatchNodes,
  batchLeaves,
  type CompactReceipts,
  expandCompactReceipts,
  rebuildBatch,
} from '../../ledger/index.ts'
import { IntegrityRecordInvalidError } from './errors.ts'
import type { HashRecord } from './integrity-ledger.ts'
import type { IntegrityReceipt, ReceiptPart } from './integrity-receipt.ts'
import { type IntegrityRecord, integrityLedgerKey, recordHash } from './integrity-record.ts'

export type CallProofCheck =
  | { readonly valid: true; readonly ledgerRecords: HashRecord[]; readonly rebuilt: BatchNodes[] }
  | {
      readonly valid: false
      readonly part: ReceiptPart
      readonly reason: string
      /** The Merkle batch that fails, when one does. */
      readonly batch?: number
    }

/** The ledger records of a call: `feature_hash` under integrity:<hostId>/<table>/<id>. */
export function ledgerRecordsOf(
  hostId: string,
  records: readonly IntegrityRecord[],
  hashes: readonly string[],
): HashRecord[] {
  return records.map((record, i) => ({
    kind: 'feature_hash',
    key: integrityLedgerKey(hostId, record.table, record.id),
    dataHex: hashes[i] as string,
  }))
}

/** Checks that `proof` proves every record's hash (`hashes[i]`, recomputed by the caller). */
export function checkCallProof(
  hostId: string,
  records: readonly IntegrityRecord[],
  hashes: readonly string[],
  proof: CompactReceipts,
): CallProofCheck {
  const n = records.length
  if (proof.batchOf.length !== n || proof.leafIndex.length !== n) {
    return {
      valid: false,
      part: 'proof',
      reason: `the proof places ${proof.batchOf.length} records, the call has ${n}`,
    }
  }
  if (proof.batchOf.some((b) => b >= proof.batches.length)) {
    return { valid: false, part: 'proof', reason: 'the proof names a batch it does not hold' }
  }
  const ledgerRecords = ledgerRecordsOf(hostId, records, hashes)
  const leaves = batchLeaves(ledgerRecords, proof)
  const rebuilt: BatchNodes[] = []
  for (const [b, batch] of proof.batches.entries()) {
    const nodes = rebuildBatch(batch, leaves[b] ?? [])
    if (!nodes || Buffer.from(nodes.root).toString('hex') !== batch.batchRoot) {
      return {
        valid: false,
        part: 'proof',
        batch: b,
        reason: `the records and nodes of batch ${batch.batchId} do not lead to its root`,
      }
    }
    rebuilt.push(nodes)
  }
  return { valid: true, ledgerRecords, rebuilt }
}

/** One full receipt per record from a checked compact proof. */
export function expandReceipts(
  check: Extract<CallProofCheck, { valid: true }>,
  proof: CompactReceipts,
): IntegrityReceipt[] {
  return expandCompactReceipts(check.ledgerRecords, proof, check.rebuilt).map((ledger) => ({
    recordHash: ledger.record.dataHex,
    ledger,
  }))
}

/** Every record's full receipt from a call's records and its compact proof; throws if it fails. */
export function receiptsOfCall(
  hostId: string,
  records: readonly IntegrityRecord[],
  proof: CompactReceipts,
): IntegrityReceipt[] {
  const hashes = records.map((record) => recordHash(record, hostId))
  const check = checkCallProof(hostId, records, hashes, proof)
  if (!check.valid) {
    throw new IntegrityRecordInvalidError(
      `The proof does not prove these records (${check.part}: ${check.reason}): pass the records in the order they were recorded`,
    )
  }
  return expandReceipts(check, proof)
}
