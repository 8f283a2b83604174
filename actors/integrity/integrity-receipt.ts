/**
 * A record's integrity receipt: its hash and the ledger receipt of that hash
 * (inclusion proof, batch root, height), plus the offline check of one
 * against the other that names the part that fails. Offline means pure: the
 * record, key and leaf are recomputed and the audit path is walked to the
 * batch root (RFC 9162 §2.1.3.2, ledger/merkle); whether that root sits on
 * the chain at `height` is the online half (verify-record.ts).
 */
import { z } from 'zod'
import type { Receipt } from '../../ledger/index.ts'
import { bytesEqual, receiptSchema, recordLeafHash, verifyInclusion } from '../../ledger/index.ts'

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte lowercase hex hash')

/** What a caller of `integrity.record` gets back per record. */
export const integrityReceiptSchema = z.object({
  recordHash: hash,
  ledger: receiptSchema,
})

export type IntegrityReceipt = z.infer<typeof integrityReceiptSchema>

/** The parts of a record and its receipt a verification can find wrong. */
export type ReceiptPart =
  | 'record' // the record does not hash to the receipt's hash
  | 'key' // the receipt is for another ledger key or record kind
  | 'leaf' // the leaf hash is not the ledger record's
  | 'proof' // the audit path (or index, size) does not lead to the root
  | 'root' // the batch root is not the one the ledger holds
  | 'height' // the batch is not at this height
  | 'batch' // batch id, tx hash or chain id differ from the ledger's
  | 'ledger' // the ledger has no record under the key
  | 'chain' // the chain's own proof of the batch transaction fails
  | 'anchor' // the batch root anchored on Ethereum does not prove the receipt

export type ReceiptCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly part: ReceiptPart; readonly reason: string }

const HASH = /^[0-9a-f]{64}$/

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))

/** Checks offline that `receipt` proves `recordHash` under `key`; never throws. */
export function checkReceiptOffline(
  key: string,
  recordHash: string,
  receipt: Receipt,
): ReceiptCheck {
  const record = receipt.record
  if (record.kind !== 'feature_hash' || record.key !== key) {
    return fail('key', `the receipt is for ${record.kind} ${record.key}, not feature_hash ${key}`)
  }
  if (record.dataHex !== recordHash) {
    return fail('record', 'the record does not hash to the hash the ledger holds')
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
