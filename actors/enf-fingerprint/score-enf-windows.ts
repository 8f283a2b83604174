/**
 * Window scoring for ENF comparison (compare-enf.ts). After alignment, the
 * difference recording − reference loses its constant (clock) offset; its
 * robust noise level sets the tolerance; each window is then a match, a
 * mismatch (strong evidence alone, or moderate evidence backed by enough
 * steps beyond the tolerance) or inconclusive (too few usable steps).
 */

import { median } from '../../runtime/index.ts'
import { mean, pearson, std } from './enf-statistics.ts'
import type { EnfTrack } from './enf-track.ts'
import {
  clippedMeanSigmas,
  MIN_FRAMES_PER_WINDOW,
  meanShiftThreshold,
  residualNoise,
  shiftInflation,
} from './mean-shift-test.ts'

/** Steps masked on each side of a gated-out stretch. */
const EDGE_STEPS = 2

export type WindowStatus = 'match' | 'mismatch' | 'inconclusive'

export type WindowScore = {
  /** Time of the window's first ENF step (s, recording time). */
  startSeconds: number
  endSeconds: number
  /** Pearson r of recording vs reference ENF (NaN when undefined). */
  r: number
  /** Pearson r of first differences. */
  rDiff: number
  /** RMS of the difference after removing the global offset (Hz). */
  rmseHz: number
  /** Mean of the difference after removing the global offset (Hz). */
  meanOffsetHz: number
  /** Standard deviation of the reference ENF in the window (Hz). */
  referenceStdHz: number
  /** Median recording ENF SNR (dB). */
  snrDb: number
  usableFraction: number
  /** Time (s) of usable steps whose difference exceeds the tolerance. */
  beyondToleranceSeconds: number
  /** Clipped mean of the difference in units of the per-step noise σ (mean-shift-test.ts; NaN when untested). */
  shiftSigmas: number
  /** The calibrated threshold for this window's length (σ; Infinity when the window is too short for the test). */
  shiftThreshold: number
  status: WindowStatus
}

/** The aligned difference: which steps count, the residual after the offset, and the tolerance. */
export type Residual = {
  usable: Uint8Array
  residual: Float64Array
  /** Raw differences of the usable steps (before removing the offset). */
  rawDiff: number[]
  offset: number
  noise: number
  tolerance: number
  /** Per-step noise σ (Hz) from residuals one frame apart (mean-shift-test.ts), and the frame in steps. */
  shiftNoise: number
  frameSteps: number
  /** Thresholds are multiplied by this (≥ 1): the recording's own spread of window statistics over white noise's. */
  inflation: number
}

/** Tolerance settings: floor, ceiling and multiple of the noise σ (Hz). */
export type ToleranceOptions = {
  minTolerance: number
  maxTolerance: number
  noiseMultiple: number
  /** Frame length of the recording's estimates, in steps (≥ 1). */
  frameSteps: number
  /** Localisation window and step (steps) and the usable fraction a window needs: the noise model's spread is measured over them. */
  window: number
  step: number
  minUsable: number
}

/** Steps usable on both sides (and not next to a gated-out stretch), and the residual difference. */
export function residualAgainst(
  recording: EnfTrack,
  ref: EnfTrack,
  recUsable: Uint8Array,
  options: ToleranceOptions,
): Residual {
  const n = recording.frequency.length
  const gated = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    gated[i] = recUsable[i]! & ref.valid![i]! & (Number.isFinite(ref.frequency[i]!) ? 1 : 0)
  }
  // The steps next to a gated-out stretch come from frames that straddle the
  // disturbance (a dropout, a burst of noise): mask them too.
  const usable = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    let ok = gated[i]!
    for (let j = Math.max(0, i - EDGE_STEPS); ok && j <= Math.min(n - 1, i + EDGE_STEPS); j++) {
      ok &= gated[j]!
    }
    usable[i] = ok
  }
  const rawDiff: number[] = []
  for (let i = 0; i < n; i++)
    if (usable[i]) rawDiff.push(recording.frequency[i]! - ref.frequency[i]!)
  const offset = median(rawDiff)
  const residual = new Float64Array(n)
  for (let i = 0; i < n; i++) residual[i] = recording.frequency[i]! - ref.frequency[i]! - offset
  const noise = 1.4826 * median(rawDiff.map((d) => Math.abs(d - offset)))
  const tolerance = Math.min(
    options.maxTolerance,
    Math.max(options.minTolerance, options.noiseMultiple * noise),
  )
  const frameSteps = Math.max(1, Math.round(options.frameSteps))
  const shiftNoise = residualNoise(residual, usable, frameSteps)
  const statistics: number[] = []
  for (let start = 0; start + options.window <= n; start += options.step) {
    const e: number[] = []
    for (let i = start; i < start + options.window; i++) if (usable[i]) e.push(residual[i]!)
    if (e.length >= options.minUsable * options.window)
      statistics.push(clippedMeanSigmas(e, shiftNoise))
  }
  const inflation = shiftInflation(statistics, options.window / frameSteps)
  return { usable, residual, rawDiff, offset, noise, tolerance, shiftNoise, frameSteps, inflation }
}

/** What scoring a window needs besides its position. */
export type ScoringContext = {
  recording: EnfTrack
  ref: EnfTrack
  recSnr: Float64Array
  residual: Residual
  minUsable: number
  rThreshold: number
  /** Steps beyond the tolerance that moderate evidence needs. */
  minEvidence: number
}

/** Strong evidence decides alone; moderate evidence needs duration. */
function windowStatus(
  context: ScoringContext,
  measures: {
    fraction: number
    rmse: number
    meanOffset: number
    beyond: number
    r: number
    referenceStd: number
    shift: number
    shiftThreshold: number
  },
): WindowStatus {
  const { tolerance, noise } = context.residual
  const { fraction, rmse, meanOffset, beyond, r, referenceStd } = measures
  if (fraction < context.minUsable) return 'inconclusive'
  const mismatch =
    Math.abs(measures.shift) > measures.shiftThreshold ||
    rmse > 2.5 * tolerance ||
    Math.abs(meanOffset) > 2 * tolerance ||
    (beyond >= context.minEvidence &&
      (rmse > tolerance ||
        Math.abs(meanOffset) > tolerance ||
        // r only decides where the ENF varies well above the noise (else it is noise vs noise).
        (r < context.rThreshold && referenceStd > 5 * Math.max(noise, 0.001))))
  return mismatch ? 'mismatch' : 'match'
}

/** Scores the `length` steps from `start`. */
export function scoreWindow(context: ScoringContext, start: number, length: number): WindowScore {
  const { recording, ref, recSnr } = context
  const { usable, residual, tolerance } = context.residual
  const hop = recording.hopSeconds
  const idx: number[] = []
  for (let i = start; i < start + length; i++) if (usable[i]) idx.push(i)
  const fraction = idx.length / length
  const a = idx.map((i) => recording.frequency[i]!)
  const b = idx.map((i) => ref.frequency[i]!)
  const da: number[] = []
  const db: number[] = []
  for (let j = 1; j < idx.length; j++) {
    if (idx[j]! - idx[j - 1]! === 1) {
      da.push(a[j]! - a[j - 1]!)
      db.push(b[j]! - b[j - 1]!)
    }
  }
  const e = idx.map((i) => residual[i]!)
  const rmse = Math.sqrt(mean(e.map((x) => x * x)))
  const meanOffset = mean(e)
  const beyond = e.filter((x) => Math.abs(x) > tolerance).length
  const referenceStd = std(b)
  const r = pearson(a, b)
  const frames = length / context.residual.frameSteps
  const shiftThreshold =
    frames >= MIN_FRAMES_PER_WINDOW
      ? meanShiftThreshold(frames) * context.residual.inflation
      : Number.POSITIVE_INFINITY
  const shift = clippedMeanSigmas(e, context.residual.shiftNoise)
  const status = windowStatus(context, {
    fraction,
    rmse,
    meanOffset,
    beyond,
    r,
    referenceStd,
    shift: Number.isFinite(shift) ? shift : 0,
    shiftThreshold,
  })
  const snrs: number[] = []
  for (let i = start; i < start + length; i++) snrs.push(recSnr[i]!)
  return {
    startSeconds: recording.startSeconds + start * hop,
    endSeconds: recording.startSeconds + (start + length) * hop,
    r,
    rDiff: pearson(da, db),
    rmseHz: rmse,
    meanOffsetHz: meanOffset,
    referenceStdHz: referenceStd,
    snrDb: median(snrs),
    usableFraction: fraction,
    beyondToleranceSeconds: beyond * hop,
    shiftSigmas: shift,
    shiftThreshold,
    status,
  }
}

/** Localisation windows every `step`, and half-overlapping verdict windows of `longWindow` steps. */
export function scoreWindows(
  context: ScoringContext,
  sizes: { window: number; step: number; longWindow: number },
): { windows: WindowScore[]; longWindows: WindowScore[] } {
  const n = context.recording.frequency.length
  const windows: WindowScore[] = []
  for (let start = 0; start + sizes.window <= n; start += sizes.step) {
    windows.push(scoreWindow(context, start, sizes.window))
  }
  const longWindows: WindowScore[] = []
  const longStep = Math.max(1, Math.floor(sizes.longWindow / 2))
  if (n >= sizes.longWindow) {
    for (let start = 0; start + sizes.longWindow <= n; start += longStep)
      longWindows.push(scoreWindow(context, start, sizes.longWindow))
  }
  return { windows, longWindows }
}
