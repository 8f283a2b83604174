/**
 * Step 6 of ENF extraction (extract-enf.ts): one frame's estimate from its
 * per-harmonic estimates, weighted by h²·SNR (the inverse variance of a
 * harmonic's estimate divided by h), over the harmonics that agree with the
 * weighted median. Runs once per hop, so it writes into reused buffers.
 */

/** Harmonics further than this from the weighted median (Hz, in fundamental units) are outliers. */
const AGREEMENT_HZ = 0.015

/** Per-frame combination result, written into reused buffers. */
export type Combined = { deviation: number; snr: number; used: Uint8Array; order: Int32Array }

/** Buffers for `count` harmonics. */
export function createCombined(count: number): Combined {
  return { deviation: 0, snr: 0, used: new Uint8Array(count), order: new Int32Array(count) }
}

/** Sorts the weighted harmonics by deviation into `order`; returns their count and total weight. */
function sortWeighted(
  deviation: Float64Array,
  weight: Float64Array,
  order: Int32Array,
): { n: number; total: number } {
  let total = 0
  let n = 0
  for (let b = 0; b < deviation.length; b++) {
    total += weight[b]!
    if (weight[b]! > 0) {
      // Insertion sort of the weighted harmonics by deviation (≤ 6 entries).
      let j = n++
      while (j > 0 && deviation[order[j - 1]!]! > deviation[b]!) {
        order[j] = order[j - 1]!
        j--
      }
      order[j] = b
    }
  }
  return { n, total }
}

/** Combines one frame's harmonics into `out` (deviation from nominal, summed SNR, used flags). */
export function combineHarmonics(
  deviation: Float64Array,
  weight: Float64Array,
  snr: Float64Array,
  out: Combined,
): void {
  const { used, order } = out
  used.fill(0)
  const { n, total } = sortWeighted(deviation, weight, order)
  if (n === 0) {
    // No harmonic passes: report the strongest one, with its (low) SNR.
    let best = 0
    for (let b = 1; b < deviation.length; b++) if (snr[b]! > snr[best]!) best = b
    used[best] = 1
    out.deviation = deviation[best]!
    out.snr = snr[best]!
    return
  }
  // Weighted median, then the weighted mean of the harmonics that agree with it.
  let cumulative = 0
  let centre = deviation[order[0]!]!
  for (let i = 0; i < n; i++) {
    const b = order[i]!
    cumulative += weight[b]!
    if (cumulative >= total / 2) {
      centre = deviation[b]!
      break
    }
  }
  let sum = 0
  let weights = 0
  let snrSum = 0
  for (let i = 0; i < n; i++) {
    const b = order[i]!
    if (Math.abs(deviation[b]! - centre) <= AGREEMENT_HZ) {
      sum += weight[b]! * deviation[b]!
      weights += weight[b]!
      snrSum += snr[b]!
      used[b] = 1
    }
  }
  out.deviation = sum / weights
  out.snr = snrSum
}
