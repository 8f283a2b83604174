/**
 * The calibrated mean-shift test of ENF comparison (compare-enf.ts), the
 * decision near the noise floor (docs/enf.md, "Low SNR").
 *
 * Under H0 (authentic) the residual e = recording − reference − clock offset
 * is estimation noise; a splice adds a slowly varying shift over 30–60 s.
 * The statistic of a window is the mean of its usable residual steps, each
 * clipped to ±3σ (a Huber-type M-estimate: the short bursts of a wrong peak
 * at low SNR, 20–100 mHz for a few steps, cannot carry a window), in units of
 * σ, the per-step noise. σ is estimated from the recording itself, robustly
 * and blind to slow shifts: the median absolute difference of residuals one
 * frame apart (non-overlapping frames, so independent errors), / √2. A window
 * mismatches when the statistic exceeds a threshold for its length: the
 * generalised likelihood-ratio test for a shift of unknown size over the
 * window, scanned over every window, with the threshold set for the scan's
 * maximum. The thresholds were calibrated on controls of the odd-numbered
 * ENF-WHU references at 10, 15 and 20 dB (bench `enf`; the even ones measure).
 */
import { median } from '../../runtime/index.ts'

/** Residual steps are clipped to this many σ before averaging. */
export const CLIP_SIGMAS = 3

/**
 * Threshold (in σ, before the recording's inflation) for a window `ratio` frames long. Calibrated
 * at 1.5 and 3 frames (30 s and 60 s windows of 20 s frames, 1 s hop) on the 360 controls of the
 * odd ENF-WHU references at 10/15/20 dB (8 per reference and SNR): the largest scan maximum
 * (1.28 and 0.79), times its ratio to the fifth largest (1.17 and 1.16) as the margin a new sample's
 * maximum may exceed it by, i.e. 1.50 and 0.92; a power law between (and beyond) them.
 */
export function meanShiftThreshold(ratio: number): number {
  return 1.5 * (1.5 / ratio) ** 0.71
}

/** Windows shorter than this many frames are not given the test (too few independent errors). */
export const MIN_FRAMES_PER_WINDOW = 1.5

/**
 * Per-step noise σ (Hz) of the residual: 1.4826 · median |e[i + lag] − e[i]| / √2 over usable pairs,
 * `lag` one frame (in steps). NaN with fewer than 10 pairs.
 */
export function residualNoise(residual: Float64Array, usable: Uint8Array, lag: number): number {
  const differences: number[] = []
  for (let i = 0; i + lag < residual.length; i++) {
    if (usable[i] && usable[i + lag]) differences.push(Math.abs(residual[i + lag]! - residual[i]!))
  }
  if (differences.length < 10) return Number.NaN
  return (1.4826 * median(differences)) / Math.SQRT2
}

/**
 * The spread (σ units) of window statistics that white estimation noise gives for a window `ratio`
 * frames long: the median over controls (10–20 dB) of their windows' RMS, 0.27 at 1.5 frames and
 * 0.165 at 3 frames (odd references), as a power law.
 */
export function whiteNoiseSpread(ratio: number): number {
  return 0.3 * (1.5 / ratio) ** 0.7
}

/**
 * How much wider than white noise the recording's own window statistics spread (≥ 1): real
 * recordings carry slow estimation errors (room acoustics, level changes) that the one-frame noise
 * σ does not see. The spread is robust (1.4826 × the median |statistic| over the windows), so a
 * splice covering a minority of them barely moves it; thresholds are multiplied by it.
 */
export function shiftInflation(statistics: readonly number[], ratio: number): number {
  const finite = statistics.filter(Number.isFinite).map(Math.abs)
  if (finite.length < 5) return 1
  return Math.max(1, (1.4826 * median(finite)) / whiteNoiseSpread(ratio))
}

/** The clipped mean of `values` (Hz) in units of `sigma`. */
export function clippedMeanSigmas(values: readonly number[], sigma: number): number {
  if (values.length === 0 || !(sigma > 0)) return Number.NaN
  let sum = 0
  for (const v of values) sum += Math.max(-CLIP_SIGMAS, Math.min(CLIP_SIGMAS, v / sigma))
  return sum / values.length
}
