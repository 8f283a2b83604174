/**
 * The check at the end of a ledger fault run: which acknowledged requests'
 * effects are missing from the ledger actor's state, and what failed.
 */
import { bitmapHas } from '../../runtime/testing/index.ts'
import type { PacedLoadResult } from './paced-load.ts'

export type LedgerRead = { applied: number; duplicates: number; bits: string }

export type LedgerCheck = {
  acknowledged: number
  acknowledgedLost: number
  failed: number
  /** Requests never answered (network error). */
  unanswered: number
  codes: Record<string, number>
  /** Applied twice (ledger) plus 2xx answers carrying another id. */
  duplicated: number
  /** Ids applied but not acknowledged by this load (failed but applied, or applied before it). */
  appliedUnacknowledged: number
}

export function checkLedger(load: PacedLoadResult, read: LedgerRead, firstId: number): LedgerCheck {
  const bits = new Uint8Array(Buffer.from(read.bits, 'base64'))
  let acknowledged = 0
  let lost = 0
  let failed = 0
  let unanswered = 0
  for (let i = 0; i < load.sent; i++) {
    const status = load.status[i] as number
    if (status >= 200 && status < 300) {
      acknowledged++
      if (!bitmapHas(bits, firstId + i)) lost++
    } else if (status === 0) unanswered++
    else failed++
  }
  return {
    acknowledged,
    acknowledgedLost: lost,
    failed,
    unanswered,
    codes: load.codes,
    duplicated: read.duplicates + load.mismatched,
    appliedUnacknowledged: read.applied - (acknowledged - lost),
  }
}

/** Wall-clock ms of the first 2xx answer to a request sent at or after `since`, or NaN. */
export function firstAcknowledgedAfter(load: PacedLoadResult, since: number): number {
  let first = Number.NaN
  for (let i = 0; i < load.sent; i++) {
    const status = load.status[i] as number
    if (status < 200 || status >= 300 || (load.sentAt[i] as number) < since) continue
    const done = load.doneAt[i] as number
    if (!(done >= first)) first = done
  }
  return first
}
