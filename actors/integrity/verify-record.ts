/**
 * `integrity.verify(record, receipt?)`: recomputes the record's hash, checks
 * the two-level receipt offline (leaf → call root, call entry → batch root),
 * then against the ledger: the ledger's own receipt for the call's entry must
 * agree field by field (which names a flipped root, height or proof
 * precisely), and the ledger proves the batch transaction in its block. The
 * ledger is keyed by call, not by record, so without a receipt one is looked
 * up where receipts are kept (the integrity actor's private store, the
 * producing host's integrity actor, the fog database). Where an anchor
 * checker is given and the batch root is anchored on Ethereum, the receipt
 * must also hold against the anchored root (part `anchor` when it does not).
 */
import type { AnchorChecker } from './anchor-check.ts'
import type { IntegrityLedger } from './integrity-ledger.ts'
import {
  checkReceiptOffline,
  compareWithLedger,
  type IntegrityReceipt,
  type ReceiptCheck,
  type ReceiptPart,
} from './integrity-receipt.ts'
import { type IntegrityRecord, integrityLedgerKey, recordHash } from './integrity-record.ts'

/** Finds a stored receipt of a record (null when none is known). */
export type ReceiptLookup = (
  hostId: string,
  table: string,
  id: string,
) => Promise<IntegrityReceipt | null>

export type VerifyRecordParameters = {
  readonly record: IntegrityRecord
  /** The host that produced the record (its ledger namespace). */
  readonly hostId: string
  readonly receipt?: IntegrityReceipt | undefined
}

export type VerifyRecordResult = {
  readonly valid: boolean
  readonly recordHash: string
  /** The record's key (integrity:<hostId>/<table>/<id>), hashed into its call-tree leaf. */
  readonly key: string
  /** The ledger key of the record's call entry, when a receipt was found. */
  readonly callKey?: string | undefined
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

/** Verifies one record against its receipt (or a stored one) and the ledger. */
export async function verifyRecord(
  ledger: IntegrityLedger,
  parameters: VerifyRecordParameters,
  anchors?: AnchorChecker,
  lookup?: ReceiptLookup,
): Promise<VerifyRecordResult> {
  const { record, hostId } = parameters
  const key = integrityLedgerKey(hostId, record.table, record.id)
  const hash = recordHash(record, hostId)
  const presented =
    parameters.receipt ?? (lookup ? await lookup(hostId, record.table, record.id) : null)
  const callKey = presented?.ledger.record.key
  const result = (check: ReceiptCheck): VerifyRecordResult => ({
    ...(check.valid
      ? { valid: true, recordHash: hash, key }
      : { valid: false, recordHash: hash, key, part: check.part, reason: check.reason }),
    ...(callKey === undefined ? {} : { callKey }),
  })
  if (!presented) {
    return result({
      valid: false,
      part: 'ledger',
      reason: `no receipt of ${key} is stored here or at the fog: pass the receipt`,
    })
  }
  const offline = checkReceiptOffline(
    { hostId, table: record.table, id: record.id, recordHash: hash },
    presented,
  )
  if (!offline.valid && ['record', 'call', 'key'].includes(offline.part)) return result(offline)
  const held = await ledger.get(presented.ledger.record.key)
  if (!held) {
    return result({ valid: false, part: 'ledger', reason: `the ledger holds no ${callKey}` })
  }
  // The ledger's own receipt names a flipped root, height or path precisely; the offline
  // walk alone only knows that the path no longer reaches the root.
  const agreed = compareWithLedger(presented.ledger, held)
  if (!agreed.valid) return result(agreed)
  if (!offline.valid) return result(offline)
  const chain = await ledger.verify(presented.ledger)
  if (!chain.valid) {
    return result({
      valid: false,
      part: 'chain',
      reason: chain.reason ?? 'the chain does not prove the batch',
    })
  }
  if (!anchors) return { ...result({ valid: true }), anchor: 'unchecked' }
  const anchor = await anchors.check(presented.ledger)
  if (!anchor.anchored) return { ...result({ valid: true }), anchor: 'not-anchored' }
  if (!anchor.valid) {
    return {
      ...result({ valid: false, part: 'anchor', reason: `Ethereum anchor: ${anchor.reason}` }),
      anchor: 'unchecked',
    }
  }
  return { ...result({ valid: true }), anchor: 'verified', anchoredAtBlock: anchor.block }
}
