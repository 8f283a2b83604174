/**
 * The proof of one `integrity.record` call checked against the call's records: the call tree
 * over the records' leaves (call-tree.ts) gives the call root, and the compact ledger proof
 * (ledger/merkle/compact-receipts.ts) of the call's one ledger entry must rebuild its ledger
 * batch root from that entry's leaf. Pure and offline: whether the batch sits on the chain is
 * the ledger's part (`ledger.verify`, once per call).
 */
import {
  type CompactBatch,
  type CompactReceipts,
  expandCompactReceipts,
  type MerkleTree,
  type Receipt,
  rebuildBatch,
  recordLeafHash,
} from '../../ledger/index.ts'
import { callEntry, callTree } from './call-tree.ts'
import { IntegrityRecordInvalidError } from './errors.ts'
import type { HashRecord } from './integrity-ledger.ts'
import type { IntegrityReceipt, ReceiptPart } from './integrity-receipt.ts'
import { type IntegrityRecord, recordHash } from './integrity-record.ts'

export type CallProofCheck =
  | {
      readonly valid: true
      readonly hashes: readonly string[]
      /** The call tree over the records' leaves. */
      readonly tree: MerkleTree
      readonly callRoot: string
      /** The call's ledger entry. */
      readonly entry: HashRecord
      /** The full ledger receipt of the entry. */
      readonly ledger: Receipt
    }
  | {
      readonly valid: false
      readonly part: ReceiptPart
      readonly reason: string
      /** The Merkle batch that fails, when one does. */
      readonly batch?: number
    }

/** Checks that `proof` proves the call of `records` (`hashes[i]`, recomputed by the caller). */
export function checkCallProof(
  hostId: string,
  records: readonly IntegrityRecord[],
  hashes: readonly string[],
  proof: CompactReceipts,
  /** The call tree when the caller built it already. */
  built?: MerkleTree,
): CallProofCheck {
  const batch = proof.batches[0]
  if (
    !batch ||
    proof.batches.length !== 1 ||
    proof.batchOf.length !== 1 ||
    proof.batchOf[0] !== 0 ||
    proof.leafIndex.length !== 1
  ) {
    return {
      valid: false,
      part: 'proof',
      reason: 'the proof must place exactly one ledger entry (the call) in one batch',
    }
  }
  const tree = built ?? callTree(hostId, records, hashes)
  const callRoot = Buffer.from(tree.root).toString('hex')
  const entry = callEntry(hostId, callRoot)
  const leafIndex = proof.leafIndex[0] as number
  const rebuilt = rebuildBatch(batch, [[leafIndex, recordLeafHash(entry)]])
  if (!rebuilt || Buffer.from(rebuilt.root).toString('hex') !== batch.batchRoot) {
    return {
      valid: false,
      part: 'proof',
      batch: 0,
      reason: `the call's entry and the nodes of batch ${batch.batchId} do not lead to its root`,
    }
  }
  const [ledger] = expandCompactReceipts([entry], proof, [rebuilt]) as [Receipt]
  return { valid: true, hashes, tree, callRoot, entry, ledger }
}

/**
 * The full ledger receipt of a call's entry (root `callRoot`) from its ledger batch's compact
 * form and the entry's leaf index; null when the entry and nodes do not rebuild the batch root.
 */
export function callEntryReceipt(
  hostId: string,
  callRoot: string,
  batch: CompactBatch,
  leafIndex: number,
): Receipt | null {
  const entry = callEntry(hostId, callRoot)
  const rebuilt = rebuildBatch(batch, [[leafIndex, recordLeafHash(entry)]])
  if (!rebuilt || Buffer.from(rebuilt.root).toString('hex') !== batch.batchRoot) return null
  return expandCompactReceipts(
    [entry],
    { batches: [batch], batchOf: [0], leafIndex: [leafIndex] },
    [rebuilt],
  )[0] as Receipt
}

/** One full two-level receipt per record from a checked call proof. */
export function expandReceipts(
  check: Extract<CallProofCheck, { valid: true }>,
): IntegrityReceipt[] {
  const size = check.tree.size
  return check.hashes.map((recordHash, index) => ({
    recordHash,
    call: { root: check.callRoot, index, size, path: check.tree.auditPathHex(index) },
    ledger: check.ledger,
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
  return expandReceipts(check)
}
