/**
 * Offline verification of a ledger {@link Receipt}: a pure function that
 * recomputes the record's leaf hash from the record itself and checks the
 * audit path against the batch root (RFC 9162 §2.1.3.2). A tampered record,
 * leaf hash, index, size, path or root fails. It does not contact the chain;
 * that the batch root sits at `height` under `txHash` is checked online by
 * the ledger client's `verify`.
 */
import { fromHex, isHex } from '../encoding/hex.ts'
import type { Receipt } from '../protocol.ts'
import { recordLeafHash, recordProblem } from './record-leaf.ts'
import { bytesEqual, verifyInclusion } from './verify-inclusion.ts'

/** The outcome of {@link verifyReceipt}; `reason` says which part failed. */
export type ReceiptVerification =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: string }

function isHash(value: unknown): value is string {
  return typeof value === 'string' && value.length === 64 && isHex(value)
}

/** Verifies a receipt offline; never throws, whatever the input. */
export function verifyReceipt(receipt: Receipt): ReceiptVerification {
  if (typeof receipt !== 'object' || receipt === null) return invalid('receipt is not an object')
  const record = receipt.record
  if (typeof record !== 'object' || record === null) return invalid('receipt has no record')
  const problem = recordProblem(record)
  if (problem) return invalid(`record is malformed: ${problem}`)
  if (!isHash(receipt.leafHash)) return invalid('leafHash is not a 32-byte hex hash')
  if (!isHash(receipt.batchRoot)) return invalid('batchRoot is not a 32-byte hex hash')
  if (!Array.isArray(receipt.auditPath) || !receipt.auditPath.every(isHash)) {
    return invalid('auditPath must be a list of 32-byte hex hashes')
  }
  const leafHash = recordLeafHash(record)
  if (!bytesEqual(leafHash, fromHex(receipt.leafHash))) {
    return invalid('record does not hash to leafHash')
  }
  const included = verifyInclusion({
    leafHash,
    leafIndex: receipt.leafIndex,
    treeSize: receipt.treeSize,
    auditPath: receipt.auditPath.map(fromHex),
    root: fromHex(receipt.batchRoot),
  })
  if (!included) return invalid('audit path does not lead from the leaf to batchRoot')
  return { valid: true }
}

function invalid(reason: string): ReceiptVerification {
  return { valid: false, reason }
}
