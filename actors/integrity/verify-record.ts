/**
 * `integrity.verify(record, receipt?)`: recomputes the record's hash, checks
 * the receipt offline (key, leaf, audit path to the root), then against the
 * ledger: the ledger's own receipt for the key must agree field by field
 * (which names a flipped root, height or proof precisely), and the ledger
 * proves the batch transaction in its block. Without a receipt, the ledger's
 * receipt for the record's key is fetched and checked. Where an anchor
 * checker is given and the batch root is anchored on Ethereum, the receipt
 * must also hold against the anchored root (part `anchor` when it does not).
 */
import type { Receipt } from '../../ledger/index.ts'
import type { AnchorChecker } from './anchor-check.ts'
import type { IntegrityLedger } from './integrity-ledger.ts'
import {
  checkReceiptOffline,
  compareWithLedger,
  type ReceiptCheck,
  type ReceiptPart,
} from './integrity-receipt.ts'
import { type IntegrityRecord, integrityLedgerKey, recordHash } from './integrity-record.ts'

export type VerifyRecordParameters = {
  readonly record: IntegrityRecord
  /** The host that produced the record (its ledger namespace). */
  readonly hostId: string
  readonly receipt?: Receipt | undefined
}

export type VerifyRecordResult = {
  readonly valid: boolean
  readonly recordHash: string
  readonly key: string
  /** The first part found wrong; absent when valid. */
  readonly part?: ReceiptPart | undefined
  readonly reason?: string | undefined
  /**
   * The Ethereum anchor of the batch root: checked and holding (with the Ethereum block and
   * time), not anchored (yet), or not checked (no checker, or an earlier part failed).
   */
  readonly anchor?: 'verified' | 'not-anchored' | 'unchecked' | undefined
  readonly anchoredAtBlock?: number | undefined
}

/** Verifies one record against its receipt and the ledger. */
export async function verifyRecord(
  ledger: IntegrityLedger,
  parameters: VerifyRecordParameters,
  anchors?: AnchorChecker,
): Promise<VerifyRecordResult> {
  const { record, hostId } = parameters
  const key = integrityLedgerKey(hostId, record.table, record.id)
  const hash = recordHash(record, hostId)
  const result = (check: ReceiptCheck): VerifyRecordResult =>
    check.valid
      ? { valid: true, recordHash: hash, key }
      : { valid: false, recordHash: hash, key, part: check.part, reason: check.reason }

  const held = await ledger.get(key)
  const presented = parameters.receipt ?? held
  if (!presented)
    return result({ valid: false, part: 'ledger', reason: `the ledger holds no ${key}` })
  const offline = checkReceiptOffline(key, hash, presented)
  if (!offline.valid && (offline.part === 'key' || offline.part === 'record'))
    return result(offline)
  if (!held) return result({ valid: false, part: 'ledger', reason: `the ledger holds no ${key}` })
  // The ledger's own receipt names a flipped root, height or path precisely; the offline
  // walk alone only knows that the path no longer reaches the root.
  const agreed = compareWithLedger(presented, held)
  if (!agreed.valid) return result(agreed)
  if (!offline.valid) return result(offline)
  const chain = await ledger.verify(presented)
  if (!chain.valid) {
    return result({
      valid: false,
      part: 'chain',
      reason: chain.reason ?? 'the chain does not prove the batch',
    })
  }
  if (!anchors) return { ...result({ valid: true }), anchor: 'unchecked' }
  const anchor = await anchors.check(presented)
  if (!anchor.anchored) return { ...result({ valid: true }), anchor: 'not-anchored' }
  if (!anchor.valid) {
    return {
      ...result({ valid: false, part: 'anchor', reason: `Ethereum anchor: ${anchor.reason}` }),
      anchor: 'unchecked',
    }
  }
  return { ...result({ valid: true }), anchor: 'verified', anchoredAtBlock: anchor.block }
}
