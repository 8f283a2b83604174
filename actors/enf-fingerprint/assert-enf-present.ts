/**
 * The presence test for an extracted ENF: enough steps reach the SNR gate.
 * Recordings without mains hum, or read with the wrong nominal frequency,
 * fail it (measured: ≤ 1 % valid steps on the ENF-WHU H0 recording).
 */

import { median } from '../../runtime/index.ts'
import { EnfNoEnfError } from './errors.ts'
import type { EnfSeries } from './extract-enf.ts'

export type EnfPresence = {
  validFraction: number
  medianSnrDb: number
}

/** Fraction of valid steps and the median SNR of a series. */
export function enfPresence(series: EnfSeries): EnfPresence {
  let valid = 0
  for (let i = 0; i < series.valid.length; i++) valid += series.valid[i]!
  return {
    validFraction: series.valid.length ? valid / series.valid.length : 0,
    medianSnrDb: median(Array.from(series.snrDb).filter(Number.isFinite)),
  }
}

/** Throws ENF_NO_ENF unless at least `minValidFraction` of the steps are valid (default 0.3). */
export function assertEnfPresent(series: EnfSeries, minValidFraction = 0.3): EnfPresence {
  const presence = enfPresence(series)
  if (presence.validFraction < minValidFraction) {
    const other = series.nominal === 50 ? 60 : 50
    throw new EnfNoEnfError(
      `No ENF found at ${series.nominal} Hz: ${(100 * presence.validFraction).toFixed(0)} % of steps have a usable line (median SNR ${presence.medianSnrDb.toFixed(1)} dB)`,
      {
        details: `The recording may carry no mains hum, or the grid is ${other} Hz (try --nominal ${other}).`,
        meta: { nominal: series.nominal, ...presence },
      },
    )
  }
  return presence
}
