/**
 * Tamper detection: compares a recording's ENF with the grid reference.
 *
 * The paper's rule (Pearson r ≥ 0.8 over 30 s windows, 5 s step) is reported
 * per window, but it does not decide alone: unrelated ENF passes it ≈ 1 time
 * in 6 and noisy authentic windows fail it ≈ 1 time in 5 (docs/enf.md, Detection).
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
 *  - near the noise floor, the calibrated mean-shift test (mean-shift-test.ts):
 *    a window whose clipped mean difference exceeds its threshold against the
 *    recording's own noise model mismatches, and needs no run of k; 60 s
 *    windows are scanned at the window step for it;
 *  - k consecutive mismatched windows before alarming, located as spans;
 *  - ≥ 60 s windows that must all agree before the verdict is `authentic`, and
 *    a noise model that could see a shift of maxToleranceHz (else `inconclusive`);
 *  - phase discontinuities of the recording's hum (detect-discontinuities.ts),
 *    when given, that the reference does not share at the aligned time: a cut
 *    or splice even where the ENF frequency on both sides agrees.
 *
 * Alignment lives in align-enf.ts, window scoring in score-enf-windows.ts,
 * span location in locate-tampered-spans.ts; this module decides.
 */

import { median } from '../../runtime/index.ts'
import { alignReference } from './align-enf.ts'
import type { Discontinuity } from './detect-discontinuities.ts'
import { mean, pearson } from './enf-statistics.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfInvalidParameterError, EnfTooShortError } from './errors.ts'
import {
  discontinuitySpans,
  type LocatedSpan,
  longWindowSpans,
  mergeSpans,
  mismatchSpans,
  type TamperedSpan,
  unexplainedDiscontinuities,
} from './locate-tampered-spans.ts'
import { MIN_FRAMES_PER_WINDOW, meanShiftThreshold } from './mean-shift-test.ts'
import {
  type Residual,
  residualAgainst,
  type ScoringContext,
  scoreWindow,
  scoreWindows,
  type WindowScore,
} from './score-enf-windows.ts'

export type { WindowScore, WindowStatus } from './score-enf-windows.ts'

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

export type Verdict = 'authentic' | 'tampered' | 'inconclusive'

export type CompareEnfResult = {
  verdict: Verdict
  reason: string
  windows: WindowScore[]
  longWindows: WindowScore[]
  tamperedSpans: TamperedSpan[]
  /** Phase jumps of the recording's hum that the reference does not explain. */
  discontinuities: Discontinuity[]
  /** Reference time − recording time at the chosen alignment (s). */
  lagSeconds: number
  /** Constant offset recording − reference removed before the absolute tests (Hz). */
  offsetHz: number
  /** Robust σ of the difference (Hz) and the tolerance derived from it. */
  noiseHz: number
  toleranceHz: number
  /** The mean-shift test's per-step noise σ (Hz) and the factor its thresholds were multiplied by (mean-shift-test.ts). */
  shiftNoiseHz: number
  shiftInflation: number
  /** Pearson r over the whole overlap. */
  rOverall: number
  medianSnrDb: number
  usableFraction: number
}

/** The options with their defaults, in seconds and in steps of the recording's hop. */
type Settings = ReturnType<typeof settingsFor>

function settingsFor(recording: EnfTrack, options: CompareEnfOptions) {
  const hop = recording.hopSeconds
  const windowSeconds = options.windowSeconds ?? 30
  const longWindowSeconds = options.longWindowSeconds ?? 60
  const minConsecutive = options.minConsecutive ?? 3
  const window = Math.round(windowSeconds / hop)
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
  return {
    hop,
    windowSeconds,
    longWindowSeconds,
    minConsecutive,
    window,
    longWindow,
    step: Math.max(1, Math.round((options.stepSeconds ?? 5) / hop)),
    minEvidence: Math.max(1, Math.round((options.minEvidenceSeconds ?? windowSeconds / 2) / hop)),
    rThreshold: options.rThreshold ?? 0.8,
    minSnrDb: options.minSnrDb ?? 15,
    minUsable: options.minUsableFraction ?? 0.6,
    minTolerance: options.minToleranceHz ?? 0.003,
    maxTolerance: options.maxToleranceHz ?? 0.01,
    noiseMultiple: options.noiseMultiple ?? 3,
    maxOffset: options.maxOffsetHz ?? 0.025,
  }
}

/** The recording's steps usable for comparison (finite, valid, SNR gate) and their SNR. */
function recordingUsability(recording: EnfTrack, minSnrDb: number) {
  const n = recording.frequency.length
  const usable = new Uint8Array(n)
  const snr = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const s = recording.snrDb?.[i] ?? Number.POSITIVE_INFINITY
    snr[i] = s
    usable[i] =
      Number.isFinite(recording.frequency[i]!) && (recording.valid?.[i] ?? 1) === 1 && s >= minSnrDb
        ? 1
        : 0
  }
  return {
    usable,
    snr,
    medianSnr: median(Array.from(snr).filter(Number.isFinite)),
    usableFraction: mean(usable),
  }
}

/** A result without windows: no usable ENF, or no overlap. */
function emptyResult(
  reason: string,
  usability: { medianSnr: number; usableFraction: number },
): CompareEnfResult {
  return {
    verdict: 'inconclusive',
    reason,
    windows: [],
    longWindows: [],
    tamperedSpans: [],
    discontinuities: [],
    lagSeconds: 0,
    offsetHz: Number.NaN,
    noiseHz: Number.NaN,
    toleranceHz: Number.NaN,
    shiftNoiseHz: Number.NaN,
    shiftInflation: Number.NaN,
    rOverall: Number.NaN,
    medianSnrDb: usability.medianSnr,
    usableFraction: usability.usableFraction,
  }
}

/** The verdict and its reason, from the located spans and the scored windows. */
function decideVerdict(
  s: Settings,
  evidence: {
    spans: readonly LocatedSpan[]
    enfSpans: number
    k: number
    discontinuities: readonly Discontinuity[]
    windows: readonly WindowScore[]
    longWindows: readonly WindowScore[]
    residual: Residual
  },
): { verdict: Verdict; reason: string } {
  const { windows, longWindows, discontinuities, residual } = evidence
  const { tolerance, offset } = residual
  const conclusive = windows.filter((w) => w.status !== 'inconclusive').length
  if (evidence.spans.length > 0) {
    const reasons = []
    if (evidence.enfSpans > 0) {
      reasons.push(
        `${evidence.enfSpans} span(s) where ≥ ${evidence.k} consecutive ${s.windowSeconds} s windows disagree with the reference beyond ${(tolerance * 1000).toFixed(1)} mHz, or one window's mean difference passes the calibrated mean-shift test (noise σ ${(residual.shiftNoise * 1000).toFixed(1)} mHz per step)`,
      )
    }
    if (discontinuities.length > 0) {
      reasons.push(
        `${discontinuities.length} phase discontinuit${discontinuities.length === 1 ? 'y' : 'ies'} of the hum (at ${discontinuities.map((d) => `${d.timeSeconds.toFixed(1)} s`).join(', ')}) that the reference does not share`,
      )
    }
    return { verdict: 'tampered', reason: reasons.join('; ') }
  }
  if (conclusive < 0.5 * windows.length) {
    return {
      verdict: 'inconclusive',
      reason: `Only ${conclusive} of ${windows.length} windows have a usable ENF (SNR ≥ ${s.minSnrDb} dB)`,
    }
  }
  const longMismatch = longWindows.filter((w) => w.status === 'mismatch').length
  if (longMismatch > 0) {
    return {
      verdict: 'inconclusive',
      reason: `${longMismatch} of ${longWindows.length} ${s.longWindowSeconds} s windows disagree with the reference but no ${s.windowSeconds} s run localises it`,
    }
  }
  if (longWindows.length === 0 && windows.filter((w) => w.status === 'mismatch').length > 0) {
    return {
      verdict: 'inconclusive',
      reason: `Shorter than one ${s.longWindowSeconds} s verdict window and some ${s.windowSeconds} s windows disagree`,
    }
  }
  const frames = s.window / residual.frameSteps
  const undetectable = residual.shiftNoise * meanShiftThreshold(frames) * residual.inflation
  if (frames >= MIN_FRAMES_PER_WINDOW && undetectable > s.maxTolerance) {
    return {
      verdict: 'inconclusive',
      reason: `The ENF is too noisy to decide: no window disagrees, but the noise (σ ${(residual.shiftNoise * 1000).toFixed(1)} mHz per step) hides any shift below ${(undetectable * 1000).toFixed(1)} mHz over ${s.windowSeconds} s, more than the ${(s.maxTolerance * 1000).toFixed(0)} mHz a splice may differ by`,
    }
  }
  if (Math.abs(offset) > s.maxOffset) {
    return {
      verdict: 'inconclusive',
      reason: `The ENF follows the reference's shape but sits ${(offset * 1000).toFixed(1)} mHz away, more than a device clock error explains (${(s.maxOffset * 1000).toFixed(0)} mHz): a recording from another time, or a badly off clock`,
    }
  }
  return {
    verdict: 'authentic',
    reason: `All ${conclusive} conclusive windows agree with the reference within ${(tolerance * 1000).toFixed(1)} mHz after removing a ${(offset * 1000).toFixed(1)} mHz offset`,
  }
}

/** Verdict-length windows at the localisation step: the calibrated test scans them all. */
function scanLongWindows(context: ScoringContext, s: Settings): WindowScore[] {
  const scanned: WindowScore[] = []
  const n = context.recording.frequency.length
  for (let start = 0; start + s.longWindow <= n; start += s.step)
    scanned.push(scoreWindow(context, start, s.longWindow))
  return scanned
}

/** Compares a recording's ENF track with a reference track. */
export function compareEnf(
  recording: EnfTrack,
  reference: EnfTrack,
  options: CompareEnfOptions = {},
): CompareEnfResult {
  const s = settingsFor(recording, options)
  const usability = recordingUsability(recording, s.minSnrDb)
  const best = alignReference(recording, reference, usability.usable, {
    window: s.window,
    windowSeconds: s.windowSeconds,
    maxLagSeconds: options.maxLagSeconds ?? 10,
    referenceOffsetSeconds: options.referenceOffsetSeconds,
    minUsable: s.minUsable,
  })
  if (usability.usableFraction < 0.3) {
    return emptyResult(
      `No usable ENF in the recording: only ${(100 * usability.usableFraction).toFixed(0)} % of steps reach ${s.minSnrDb} dB (median ${usability.medianSnr.toFixed(1)} dB). Check the nominal frequency; the recording may carry no hum.`,
      usability,
    )
  }
  if (!best) {
    return emptyResult(
      `The reference does not overlap the recording's usable ENF for one ${s.windowSeconds} s window at any lag`,
      usability,
    )
  }
  const ref = best.aligned
  const frameSteps = (recording.frameSeconds ?? 20) / s.hop
  const residual = residualAgainst(recording, ref, usability.usable, { ...s, frameSteps })
  const context = { recording, ref, recSnr: usability.snr, residual, ...s }
  const { windows, longWindows } = scoreWindows(context, s)
  const k = Math.min(s.minConsecutive, windows.length)
  const enfSpans = [
    ...mismatchSpans(windows, k, recording, residual, s),
    ...longWindowSpans(scanLongWindows(context, s), recording, residual, {
      window: s.longWindow,
      step: s.step,
    }),
  ]
  const lagSeconds = best.lag * s.hop
  const discontinuities = unexplainedDiscontinuities(
    options.discontinuities ?? [],
    options.referenceDiscontinuities ?? [],
    lagSeconds,
  )
  const spans = [...enfSpans, ...discontinuitySpans(discontinuities)]
  const { usable, rawDiff } = residual
  const verdict = decideVerdict(s, {
    spans,
    enfSpans: enfSpans.length,
    k,
    discontinuities,
    windows,
    longWindows,
    residual,
  })
  return {
    ...verdict,
    windows,
    longWindows,
    tamperedSpans: mergeSpans(spans),
    discontinuities,
    lagSeconds,
    offsetHz: residual.offset,
    noiseHz: residual.noise,
    toleranceHz: residual.tolerance,
    shiftNoiseHz: residual.shiftNoise,
    shiftInflation: residual.inflation,
    rOverall: pearson(
      rawDiff.length ? Array.from(recording.frequency).filter((_, i) => usable[i]) : [],
      Array.from(ref.frequency).filter((_, i) => usable[i]),
    ),
    medianSnrDb: usability.medianSnr,
    usableFraction: usability.usableFraction,
  }
}
