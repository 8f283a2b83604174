/**
 * Alignment for ENF comparison (compare-enf.ts): the lag, in whole steps,
 * at which the reference lines up with the recording. The reference is
 * resampled once onto the recording's grid over the whole search range; the
 * lag with the smallest robust spread (median absolute deviation) of the
 * difference wins, so a spliced minority cannot pull the alignment. Long
 * searches (a day of grid data) rank lags by variance first and compare only
 * the best few robustly.
 */

import { median } from '../../runtime/index.ts'
import type { EnfTrack } from './enf-track.ts'
import { resampleTrack } from './enf-track.ts'

/** Lags × steps up to which every lag's robust spread is computed. */
const EXHAUSTIVE_ALIGNMENT_WORK = 4_000_000
/** Beyond that, the lags (best by variance of the difference) whose robust spread is compared. */
const ALIGNMENT_CANDIDATES = 64

export type AlignOptions = {
  /** Steps per comparison window, and its length in seconds. */
  window: number
  windowSeconds: number
  /** Lag search range (s) around `referenceOffsetSeconds`, unless the whole reference is searched. */
  maxLagSeconds: number
  referenceOffsetSeconds: number | undefined
  /** Fraction of a window's steps that must pair up for a lag to count. */
  minUsable: number
}

/** The chosen lag and the reference on the recording's grid at that lag. */
export type Alignment = { lag: number; spread: number; aligned: EnfTrack }

/** Lags (whole steps) to try, and where a tie is broken towards. */
function lagRange(recording: EnfTrack, reference: EnfTrack, options: AlignOptions) {
  const hop = recording.hopSeconds
  const n = recording.frequency.length
  const referenceSpan = reference.frequency.length * reference.hopSeconds
  const wholeSearch =
    options.referenceOffsetSeconds === undefined && referenceSpan > n * hop + options.windowSeconds
  const centre = Math.round((options.referenceOffsetSeconds ?? 0) / hop)
  const lagLo = wholeSearch
    ? Math.floor((reference.startSeconds - recording.startSeconds) / hop) - options.window
    : centre - Math.round(options.maxLagSeconds / hop)
  const lagHi = wholeSearch
    ? Math.ceil((reference.startSeconds + referenceSpan - recording.startSeconds - n * hop) / hop) +
      options.window
    : centre + Math.round(options.maxLagSeconds / hop)
  return { lagLo, lagHi, centre }
}

/** Lags with enough paired steps, with the variance of their difference. */
function rankLags(
  recording: EnfTrack,
  usable: Uint8Array,
  grid: EnfTrack,
  range: { lagLo: number; lagHi: number },
  minPairs: number,
): { lag: number; variance: number }[] {
  const n = recording.frequency.length
  const ranked: { lag: number; variance: number }[] = []
  for (let lag = range.lagLo; lag <= range.lagHi; lag++) {
    const offset = lag - range.lagLo
    let count = 0
    let sum = 0
    let sumSquares = 0
    for (let i = 0; i < n; i++) {
      const j = i + offset
      if (usable[i] && grid.valid![j] && Number.isFinite(grid.frequency[j]!)) {
        const d = recording.frequency[i]! - grid.frequency[j]!
        count++
        sum += d
        sumSquares += d * d
      }
    }
    if (count >= minPairs) ranked.push({ lag, variance: sumSquares / count - (sum / count) ** 2 })
  }
  return ranked
}

/** The reference at `lag` and the robust spread (MAD) of the difference there. */
function robustSpread(
  recording: EnfTrack,
  usable: Uint8Array,
  grid: EnfTrack,
  lag: number,
  lagLo: number,
): Alignment {
  const n = recording.frequency.length
  const hop = recording.hopSeconds
  const offset = lag - lagLo
  const aligned: EnfTrack = {
    startSeconds: recording.startSeconds + lag * hop,
    hopSeconds: hop,
    frequency: grid.frequency.subarray(offset, offset + n),
    valid: grid.valid!.subarray(offset, offset + n),
  }
  const diffs: number[] = []
  for (let i = 0; i < n; i++) {
    if (usable[i] && aligned.valid![i] && Number.isFinite(aligned.frequency[i]!)) {
      diffs.push(recording.frequency[i]! - aligned.frequency[i]!)
    }
  }
  const middle = median(diffs)
  return { lag, spread: median(diffs.map((d) => Math.abs(d - middle))), aligned }
}

/** Aligns the reference with the recording's usable steps; undefined when no lag overlaps enough. */
export function alignReference(
  recording: EnfTrack,
  reference: EnfTrack,
  usable: Uint8Array,
  options: AlignOptions,
): Alignment | undefined {
  const n = recording.frequency.length
  const range = lagRange(recording, reference, options)
  const grid = resampleTrack(
    reference,
    recording.startSeconds + range.lagLo * recording.hopSeconds,
    recording.hopSeconds,
    range.lagHi - range.lagLo + n,
  )
  const ranked = rankLags(recording, usable, grid, range, options.window * options.minUsable)
  // Small searches compare every lag robustly; large ones only the best by variance.
  const exhaustive = ranked.length * n <= EXHAUSTIVE_ALIGNMENT_WORK
  if (!exhaustive) ranked.sort((a, b) => a.variance - b.variance)
  let best: Alignment | undefined
  for (const { lag } of exhaustive ? ranked : ranked.slice(0, ALIGNMENT_CANDIDATES)) {
    const candidate = robustSpread(recording, usable, grid, lag, range.lagLo)
    if (
      !best ||
      candidate.spread < best.spread ||
      (candidate.spread === best.spread &&
        Math.abs(lag - range.centre) < Math.abs(best.lag - range.centre))
    ) {
      best = candidate
    }
  }
  return best
}
