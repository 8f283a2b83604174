/**
 * Tamper detection: compares a recording's ENF with the grid reference.
 *
 * The paper's rule (Pearson r ≥ 0.8 over 30 s windows, 5 s step) is reported
 * per window, but it does not decide alone: unrelated ENF passes it ≈ 1 time
 * in 6 and noisy authentic windows fail it ≈ 1 time in 5 (notes/enf.md §5).
 * The decision combines:
 *  - alignment: the lag (whole steps) that minimises the robust spread of the
 *    difference, over ±maxLagSeconds or, when the reference is much longer,
 *    over every placement;
 *  - an absolute test: after removing the constant (clock) offset, a window's
 *    RMS difference and mean offset must stay within a tolerance set from the
 *    recording's own robust noise level (clamped to [minTolerance, maxTolerance]);
 *  - r, only where the reference varies enough for r to mean something;
 *  - SNR gating: steps whose ENF line SNR is below minSnrDb, or that the
 *    extractor marked invalid (disturbed by a burst of other sound), are not
 *    used, and windows with too few usable steps are `inconclusive`, never
 *    `mismatch`;
 *  - evidence: a window counts as a mismatch on strong evidence (RMS > 2.5×
 *    or mean > 2× the tolerance), or on moderate evidence (RMS or mean beyond
 *    the tolerance, or r low where r is meaningful) backed by at least
 *    minEvidenceSeconds of steps (default half a window) beyond the tolerance:
 *    a few seconds of estimation glitch on real audio must not raise an alarm;
 *  - k consecutive mismatched windows before alarming, located as spans;
 *  - ≥ 60 s windows that must all agree before the verdict is `authentic`;
 *  - phase discontinuities of the recording's hum (detect-discontinuities.ts),
 *    when given, that the reference does not share at the aligned time: a cut
 *    or splice even where the ENF frequency on both sides agrees.
 */
import type { Discontinuity } from './detect-discontinuities.ts'
import type { EnfTrack } from './enf-track.ts'
import { resampleTrack } from './enf-track.ts'
import { EnfInvalidParameterError, EnfTooShortError } from './errors.ts'

/** Lags × steps up to which every lag's robust spread is computed. */
const EXHAUSTIVE_ALIGNMENT_WORK = 4_000_000
/** Beyond that, the lags (best by variance of the difference) whose robust spread is compared. */
const ALIGNMENT_CANDIDATES = 64

/** Steps masked on each side of a gated-out stretch. */
const EDGE_STEPS = 2

export type CompareEnfOptions = {
  /** Localisation window (s, default 30, the paper's). */
  windowSeconds?: number | undefined
  /** Window step (s, default 5, the paper's). */
  stepSeconds?: number | undefined
  /** Verdict window (s, default 60). */
  longWindowSeconds?: number | undefined
  /** Pearson threshold (default 0.8, the paper's). */
  rThreshold?: number | undefined
  /** Consecutive mismatched windows needed for an alarm (default 3). */
  minConsecutive?: number | undefined
  /** Steps beyond the tolerance an alarm needs inside its run (s, default windowSeconds / 2). */
  minEvidenceSeconds?: number | undefined
  /** Lag search range (s, default 10); the whole reference is searched when it is longer than the recording by more than one window. */
  maxLagSeconds?: number | undefined
  /** Reference time (s) where the recording's time 0 is expected, e.g. the capture's Unix time for a grid CSV with absolute times (default 0); the lag search is centred on it. */
  referenceOffsetSeconds?: number | undefined
  /** Steps below this recording SNR (dB) are not used (default 15). */
  minSnrDb?: number | undefined
  /** A window needs this fraction of usable steps to be conclusive (default 0.6). */
  minUsableFraction?: number | undefined
  /** Tolerance floor for RMS difference / mean offset (Hz, default 0.003). */
  minToleranceHz?: number | undefined
  /** Tolerance ceiling (Hz, default 0.010): above it a mismatch is a mismatch, however noisy. */
  maxToleranceHz?: number | undefined
  /** Tolerance = this × the robust noise σ of the difference, clamped (default 3). */
  noiseMultiple?: number | undefined
  /** Largest constant offset (Hz) explained by a device clock error (default 0.025, i.e. 500 ppm at 50 Hz): beyond it an otherwise matching recording is `inconclusive`, since a replay from another time also shifts the mean. */
  maxOffsetHz?: number | undefined
  /** Phase jumps found in the recording's hum (recording time). */
  discontinuities?: readonly Discontinuity[] | undefined
  /** Phase jumps found in the reference's hum (reference time): the same jump in both is not an edit of the recording. */
  referenceDiscontinuities?: readonly Discontinuity[] | undefined
}

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
  status: WindowStatus
}

export type Verdict = 'authentic' | 'tampered' | 'inconclusive'

export type CompareEnfResult = {
  verdict: Verdict
  reason: string
  windows: WindowScore[]
  longWindows: WindowScore[]
  tamperedSpans: {
    startSeconds: number
    endSeconds: number
    /** Mismatched windows in the span (0 for a phase discontinuity alone). */
    windows: number
    kind: 'enf_mismatch' | 'phase_discontinuity'
  }[]
  /** Phase jumps of the recording's hum that the reference does not explain. */
  discontinuities: Discontinuity[]
  /** Reference time − recording time at the chosen alignment (s). */
  lagSeconds: number
  /** Constant offset recording − reference removed before the absolute tests (Hz). */
  offsetHz: number
  /** Robust σ of the difference (Hz) and the tolerance derived from it. */
  noiseHz: number
  toleranceHz: number
  /** Pearson r over the whole overlap. */
  rOverall: number
  medianSnrDb: number
  usableFraction: number
}

/** Compares a recording's ENF track with a reference track. */
export function compareEnf(
  recording: EnfTrack,
  reference: EnfTrack,
  options: CompareEnfOptions = {},
): CompareEnfResult {
  const hop = recording.hopSeconds
  const windowSeconds = options.windowSeconds ?? 30
  const stepSeconds = options.stepSeconds ?? 5
  const longWindowSeconds = options.longWindowSeconds ?? 60
  const rThreshold = options.rThreshold ?? 0.8
  const minConsecutive = options.minConsecutive ?? 3
  const minSnrDb = options.minSnrDb ?? 15
  const minUsable = options.minUsableFraction ?? 0.6
  const minTolerance = options.minToleranceHz ?? 0.003
  const maxTolerance = options.maxToleranceHz ?? 0.01
  const noiseMultiple = options.noiseMultiple ?? 3
  const window = Math.round(windowSeconds / hop)
  const minEvidence = Math.max(
    1,
    Math.round((options.minEvidenceSeconds ?? windowSeconds / 2) / hop),
  )
  const step = Math.max(1, Math.round(stepSeconds / hop))
  const longWindow = Math.round(longWindowSeconds / hop)
  if (window < 3 || longWindow < window || minConsecutive < 1) {
    throw new EnfInvalidParameterError(
      `Windows must span ≥ 3 ENF steps and the long window ≥ the window (got ${windowSeconds} s, ${longWindowSeconds} s at a ${hop} s hop)`,
    )
  }
  const n = recording.frequency.length
  if (n < window) {
    throw new EnfTooShortError(
      `The recording's ENF covers ${(n * hop).toFixed(0)} s, shorter than one ${windowSeconds} s comparison window`,
      { meta: { seconds: n * hop, windowSeconds } },
    )
  }

  const recUsable = new Uint8Array(n)
  const recSnr = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const snr = recording.snrDb?.[i] ?? Number.POSITIVE_INFINITY
    recSnr[i] = snr
    recUsable[i] =
      Number.isFinite(recording.frequency[i]!) &&
      (recording.valid?.[i] ?? 1) === 1 &&
      snr >= minSnrDb
        ? 1
        : 0
  }
  const medianSnr = median(Array.from(recSnr).filter(Number.isFinite))
  const usableFraction = mean(recUsable)

  // Alignment: candidate lags in whole steps. The reference is resampled once onto the
  // recording's grid over the whole search range; the lag with the smallest robust spread (median
  // absolute deviation) of the difference wins, so a spliced minority cannot pull the alignment.
  // Long searches (a day of grid data) rank lags by variance first and compare the best few.
  const referenceSpan = reference.frequency.length * reference.hopSeconds
  const wholeSearch =
    options.referenceOffsetSeconds === undefined && referenceSpan > n * hop + windowSeconds
  const maxLag = options.maxLagSeconds ?? 10
  const centre = Math.round((options.referenceOffsetSeconds ?? 0) / hop)
  const lagLo = wholeSearch
    ? Math.floor((reference.startSeconds - recording.startSeconds) / hop) - window
    : centre - Math.round(maxLag / hop)
  const lagHi = wholeSearch
    ? Math.ceil((reference.startSeconds + referenceSpan - recording.startSeconds - n * hop) / hop) +
      window
    : centre + Math.round(maxLag / hop)
  const grid = resampleTrack(
    reference,
    recording.startSeconds + lagLo * hop,
    hop,
    lagHi - lagLo + n,
  )
  const minPairs = window * minUsable
  const ranked: { lag: number; variance: number }[] = []
  for (let lag = lagLo; lag <= lagHi; lag++) {
    const offset = lag - lagLo
    let count = 0
    let sum = 0
    let sumSquares = 0
    for (let i = 0; i < n; i++) {
      const j = i + offset
      if (recUsable[i] && grid.valid![j] && Number.isFinite(grid.frequency[j]!)) {
        const d = recording.frequency[i]! - grid.frequency[j]!
        count++
        sum += d
        sumSquares += d * d
      }
    }
    if (count >= minPairs) ranked.push({ lag, variance: sumSquares / count - (sum / count) ** 2 })
  }
  // Small searches compare every lag robustly; large ones only the best by variance.
  const exhaustive = ranked.length * n <= EXHAUSTIVE_ALIGNMENT_WORK
  if (!exhaustive) ranked.sort((a, b) => a.variance - b.variance)
  let best: { lag: number; spread: number; aligned: EnfTrack } | undefined
  for (const { lag } of exhaustive ? ranked : ranked.slice(0, ALIGNMENT_CANDIDATES)) {
    const offset = lag - lagLo
    const aligned: EnfTrack = {
      startSeconds: recording.startSeconds + lag * hop,
      hopSeconds: hop,
      frequency: grid.frequency.subarray(offset, offset + n),
      valid: grid.valid!.subarray(offset, offset + n),
    }
    const diffs: number[] = []
    for (let i = 0; i < n; i++) {
      if (recUsable[i] && aligned.valid![i] && Number.isFinite(aligned.frequency[i]!)) {
        diffs.push(recording.frequency[i]! - aligned.frequency[i]!)
      }
    }
    const middle = median(diffs)
    const spread = median(diffs.map((d) => Math.abs(d - middle)))
    if (
      !best ||
      spread < best.spread ||
      (spread === best.spread && Math.abs(lag - centre) < Math.abs(best.lag - centre))
    ) {
      best = { lag, spread, aligned }
    }
  }

  const empty = (reason: string, verdict: Verdict = 'inconclusive'): CompareEnfResult => ({
    verdict,
    reason,
    windows: [],
    longWindows: [],
    tamperedSpans: [],
    discontinuities: [],
    lagSeconds: 0,
    offsetHz: Number.NaN,
    noiseHz: Number.NaN,
    toleranceHz: Number.NaN,
    rOverall: Number.NaN,
    medianSnrDb: medianSnr,
    usableFraction: usableFraction,
  })
  if (usableFraction < 0.3) {
    return empty(
      `No usable ENF in the recording: only ${(100 * usableFraction).toFixed(0)} % of steps reach ${minSnrDb} dB (median ${medianSnr.toFixed(1)} dB). Check the nominal frequency; the recording may carry no hum.`,
    )
  }
  if (!best) {
    return empty(
      `The reference does not overlap the recording's usable ENF for one ${windowSeconds} s window at any lag`,
    )
  }
  const ref = best.aligned
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
  const tolerance = Math.min(maxTolerance, Math.max(minTolerance, noiseMultiple * noise))

  const score = (start: number, length: number): WindowScore => {
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
    let status: WindowStatus = 'match'
    if (fraction < minUsable) status = 'inconclusive'
    else if (
      // Strong evidence decides alone; moderate evidence needs duration.
      rmse > 2.5 * tolerance ||
      Math.abs(meanOffset) > 2 * tolerance ||
      (beyond >= minEvidence &&
        (rmse > tolerance ||
          Math.abs(meanOffset) > tolerance ||
          // r only decides where the ENF varies well above the noise (else it is noise vs noise).
          (r < rThreshold && referenceStd > 5 * Math.max(noise, 0.001))))
    ) {
      status = 'mismatch'
    }
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
      status,
    }
  }
  const windows: WindowScore[] = []
  for (let start = 0; start + window <= n; start += step) windows.push(score(start, window))
  const longWindows: WindowScore[] = []
  const longStep = Math.max(1, Math.floor(longWindow / 2))
  if (n >= longWindow) {
    for (let start = 0; start + longWindow <= n; start += longStep)
      longWindows.push(score(start, longWindow))
  }

  // Alarms: runs of ≥ k consecutive mismatched windows (an inconclusive window ends a run).
  const k = Math.min(minConsecutive, windows.length)
  const spans: LocatedSpan[] = []
  let runStart = -1
  for (let w = 0; w <= windows.length; w++) {
    const mismatched = w < windows.length && windows[w]!.status === 'mismatch'
    if (mismatched && runStart < 0) runStart = w
    if (!mismatched && runStart >= 0) {
      const count = w - runStart
      if (count >= k) spans.push(locate(runStart, w - 1, count))
      runStart = -1
    }
  }
  function locate(first: number, last: number, count: number) {
    const lo = first * step
    const hi = last * step + window
    let a = -1
    let b = -1
    let evidence = 0
    for (let i = lo; i < hi; i++) {
      if (usable[i] && Math.abs(residual[i]!) > tolerance) {
        if (a < 0) a = i
        b = i
        evidence++
      }
    }
    if (a < 0) [a, b] = [lo, hi - 1]
    return {
      startSeconds: recording.startSeconds + a * hop,
      endSeconds: recording.startSeconds + (b + 1) * hop,
      windows: count,
      kind: 'enf_mismatch' as const,
      evidence,
    }
  }

  const lagSeconds = best.lag * hop
  const discontinuities = (options.discontinuities ?? []).filter(
    (d) =>
      !(options.referenceDiscontinuities ?? []).some(
        (r) => Math.abs(r.timeSeconds - (d.timeSeconds + lagSeconds)) <= 1,
      ),
  )
  const enfSpans = spans.length
  for (const d of discontinuities) {
    spans.push({
      startSeconds: d.timeSeconds - 0.5,
      endSeconds: d.timeSeconds + 0.5,
      windows: 0,
      kind: 'phase_discontinuity',
      evidence: 1,
    })
  }
  const conclusive = windows.filter((w) => w.status !== 'inconclusive').length
  const base = {
    windows,
    longWindows: longWindows,
    tamperedSpans: mergeSpans(spans),
    discontinuities,
    lagSeconds: lagSeconds,
    offsetHz: offset,
    noiseHz: noise,
    toleranceHz: tolerance,
    rOverall: pearson(
      rawDiff.length ? Array.from(recording.frequency).filter((_, i) => usable[i]) : [],
      Array.from(ref.frequency).filter((_, i) => usable[i]),
    ),
    medianSnrDb: medianSnr,
    usableFraction: usableFraction,
  }
  if (spans.length > 0) {
    const reasons = []
    if (enfSpans > 0) {
      reasons.push(
        `${enfSpans} span(s) where ≥ ${k} consecutive ${windowSeconds} s windows disagree with the reference beyond ${(tolerance * 1000).toFixed(1)} mHz`,
      )
    }
    if (discontinuities.length > 0) {
      reasons.push(
        `${discontinuities.length} phase discontinuit${discontinuities.length === 1 ? 'y' : 'ies'} of the hum (at ${discontinuities.map((d) => `${d.timeSeconds.toFixed(1)} s`).join(', ')}) that the reference does not share`,
      )
    }
    return { verdict: 'tampered', reason: reasons.join('; '), ...base }
  }
  if (conclusive < 0.5 * windows.length) {
    return {
      verdict: 'inconclusive',
      reason: `Only ${conclusive} of ${windows.length} windows have a usable ENF (SNR ≥ ${minSnrDb} dB)`,
      ...base,
    }
  }
  const longMismatch = longWindows.filter((w) => w.status === 'mismatch').length
  if (longMismatch > 0) {
    return {
      verdict: 'inconclusive',
      reason: `${longMismatch} of ${longWindows.length} ${longWindowSeconds} s windows disagree with the reference but no ${windowSeconds} s run localises it`,
      ...base,
    }
  }
  if (longWindows.length === 0 && windows.filter((w) => w.status === 'mismatch').length > 0) {
    return {
      verdict: 'inconclusive',
      reason: `Shorter than one ${longWindowSeconds} s verdict window and some ${windowSeconds} s windows disagree`,
      ...base,
    }
  }
  const maxOffset = options.maxOffsetHz ?? 0.025
  if (Math.abs(offset) > maxOffset) {
    return {
      verdict: 'inconclusive',
      reason: `The ENF follows the reference's shape but sits ${(offset * 1000).toFixed(1)} mHz away, more than a device clock error explains (${(maxOffset * 1000).toFixed(0)} mHz): a recording from another time, or a badly off clock`,
      ...base,
    }
  }
  return {
    verdict: 'authentic',
    reason: `All ${conclusive} conclusive windows agree with the reference within ${(tolerance * 1000).toFixed(1)} mHz after removing a ${(offset * 1000).toFixed(1)} mHz offset`,
    ...base,
  }
}

type LocatedSpan = CompareEnfResult['tamperedSpans'][number] & { evidence: number }

function mergeSpans(spans: LocatedSpan[]): CompareEnfResult['tamperedSpans'] {
  const merged: LocatedSpan[] = []
  for (const span of [...spans].sort((a, b) => a.startSeconds - b.startSeconds)) {
    const last = merged[merged.length - 1]
    if (last && span.startSeconds <= last.endSeconds) {
      last.endSeconds = Math.max(last.endSeconds, span.endSeconds)
      last.windows += span.windows
      last.evidence += span.evidence
      if (span.kind === 'enf_mismatch') last.kind = 'enf_mismatch'
    } else merged.push({ ...span })
  }
  return merged.map(({ startSeconds, endSeconds, windows, kind }) => ({
    startSeconds,
    endSeconds,
    windows,
    kind,
  }))
}

function mean(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]!
  return values.length ? sum / values.length : Number.NaN
}

function std(values: number[]): number {
  const m = mean(values)
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)))
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Pearson correlation; NaN when either side is constant or shorter than 3. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length)
  if (n < 3) return Number.NaN
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma
    const y = b[i]! - mb
    sab += x * y
    saa += x * x
    sbb += y * y
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN
}
