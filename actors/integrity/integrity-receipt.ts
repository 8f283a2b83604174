/**
 * A record's integrity receipt, two-level: its hash, its leaf's path to its call's root (the
 * call tree, call-tree.ts), and the ledger receipt of the call's entry (inclusion proof in the
 * ledger batch, batch root, height), plus the offline check of one against the other that
 * names the part that fails. Offline means pure: the record's leaf is recomputed and walked to
 * the call root, the call's entry and its leaf are recomputed and walked to the batch root
 * (RFC 9162 §2.1.3.2, ledger/merkle); whether that root sits on the chain at `height` is the
 * online half (verify-record.ts).
 */
import { z } from 'zod'
import type { Receipt } from '../../ledger/index.ts'
import { bytesEqual, receiptSchema, recordLeafHash, verifyInclusion } from '../../ledger/index.ts'
import { callLedgerKey, recordLeaf } from './call-tree.ts'

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte lowercase hex hash')

/** Where a record's leaf sits in its call's tree. */
export const callPathSchema = z.object({
  root: hash.describe(
    'The call root, committed as the ledger entry integrity:<hostId>/call/<root>',
  ),
  index: z.number().int().nonnegative().describe('The record’s place in its call'),
  size: z.number().int().positive().describe('Records in the call'),
  path: z.array(hash).describe('Audit path from the record’s leaf to the call root'),
})

/** What a caller of `integrity.record` gets back per record (receiptsOfCall). */
export const integrityReceiptSchema = z.object({
  recordHash: hash,
  call: callPathSchema,
  ledger: receiptSchema.describe('The ledger receipt of the call’s entry'),
})

export type IntegrityReceipt = z.infer<typeof integrityReceiptSchema>

/** The parts of a record and its receipt a verification can find wrong. */
export type ReceiptPart =
  | 'record' // the record does not hash to the receipt's hash
  | 'call' // the record's leaf does not lead to the call root (path, index or size)
  | 'key' // the ledger receipt is for another entry than the call's
  | 'leaf' // the leaf hash is not the ledger record's
  | 'proof' // the audit path (or index, size) does not lead to the root
  | 'root' // the batch root is not the one the ledger holds
  | 'height' // the batch is not at this height
  | 'batch' // batch id, tx hash or chain id differ from the ledger's
  | 'ledger' // the ledger has no entry under the key (or no receipt is known)
  | 'chain' // the chain's own proof of the batch transaction fails
  | 'anchor' // the batch root anchored on Ethereum does not prove the receipt

export type ReceiptCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly part: ReceiptPart; readonly reason: string }

const HASH = /^[0-9a-f]{64}$/

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))

export type ReceiptSubject = {
  readonly hostId: string
  readonly table: string
  readonly id: string
  /** The record's recomputed hash. */
  readonly recordHash: string
}

/** Checks offline that `receipt` proves the subject's hash; never throws. */
export function checkReceiptOffline(
  subject: ReceiptSubject,
  receipt: IntegrityReceipt,
): ReceiptCheck {
  if (receipt.recordHash !== subject.recordHash) {
    return fail('record', 'the record does not hash to the hash the receipt proves')
  }
  const call = receipt.call
  if (!HASH.test(call.root) || !call.path.every((node) => HASH.test(node))) {
    return fail('call', 'the call root or path is not a list of 32-byte hashes')
  }
  const inCall = verifyInclusion({
    leafHash: recordLeaf(subject.hostId, subject.table, subject.id, subject.recordHash),
    leafIndex: call.index,
    treeSize: call.size,
    auditPath: call.path.map(fromHex),
    root: fromHex(call.root),
  })
  if (!inCall)
    return fail('call', 'the call path does not lead from the record’s leaf to the call root')
  return checkEntryOffline(callLedgerKey(subject.hostId, call.root), call.root, receipt.ledger)
}

/** Checks offline that a ledger receipt proves the entry `dataHex` under `key`. */
export function checkEntryOffline(key: string, dataHex: string, receipt: Receipt): ReceiptCheck {
  const record = receipt.record
  if (record.kind !== 'feature_hash' || record.key !== key || record.dataHex !== dataHex) {
    return fail(
      'key',
      `the ledger receipt is for ${record.kind} ${record.key}, not feature_hash ${key}`,
    )
  }
  if (
    !HASH.test(receipt.leafHash) ||
    !bytesEqual(recordLeafHash(record), fromHex(receipt.leafHash))
  ) {
    return fail('leaf', 'leafHash is not the leaf hash of the ledger record')
  }
  if (!HASH.test(receipt.batchRoot) || !receipt.auditPath.every((node) => HASH.test(node))) {
    return fail('proof', 'the audit path or batch root is not a list of 32-byte hashes')
  }
  const included = verifyInclusion({
    leafHash: fromHex(receipt.leafHash),
    leafIndex: receipt.leafIndex,
    treeSize: receipt.treeSize,
    auditPath: receipt.auditPath.map(fromHex),
    root: fromHex(receipt.batchRoot),
  })
  if (!included) return fail('proof', 'the audit path does not lead from the leaf to batchRoot')
  return { valid: true }
}

/** Names the first field where a presented receipt departs from the ledger's own. */
export function compareWithLedger(presented: Receipt, held: Receipt): ReceiptCheck {
  if (presented.batchRoot !== held.batchRoot) {
    return fail('root', 'the batch root is not the one the ledger holds for this record')
  }
  if (presented.height !== held.height) {
    return fail('height', `the ledger holds this record at height ${held.height}`)
  }
  if (presented.leafHash !== held.leafHash)
    return fail('leaf', 'the leaf hash differs from the ledger’s')
  const samePath =
    presented.leafIndex === held.leafIndex &&
    presented.treeSize === held.treeSize &&
    presented.auditPath.length === held.auditPath.length &&
    presented.auditPath.every((node, i) => node === held.auditPath[i])
  if (!samePath)
    return fail('proof', 'the audit path, leaf index or tree size differ from the ledger’s')
  if (
    presented.batchId !== held.batchId ||
    presented.txHash !== held.txHash ||
    presented.chainId !== held.chainId
  ) {
    return fail('batch', 'the batch id, transaction hash or chain id differ from the ledger’s')
  }
  return { valid: true }
}

function fail(part: ReceiptPart, reason: string): ReceiptCheck {
  return { valid: false, part, reason }
}
