/**
 * Span location for ENF comparison (compare-enf.ts): runs of at least k
 * consecutive mismatched windows (an inconclusive window ends a run), each
 * narrowed to the steps whose residual is beyond the tolerance; plus the
 * phase discontinuities of the recording's hum that the reference does not
 * share at the aligned time; overlapping spans merged.
 */
import type { Discontinuity } from './detect-discontinuities.ts'
import type { EnfTrack } from './enf-track.ts'
import type { Residual, WindowScore } from './score-enf-windows.ts'

/** A stretch of the recording the comparison calls tampered. */
export type TamperedSpan = {
  startSeconds: number
  endSeconds: number
  /** Mismatched windows in the span (0 for a phase discontinuity alone). */
  windows: number
  kind: 'enf_mismatch' | 'phase_discontinuity'
}

/** A span with the count of steps beyond the tolerance that support it. */
export type LocatedSpan = TamperedSpan & { evidence: number }

/** Where a run of windows `first`…`last` has its steps beyond the tolerance. */
function locateRun(
  recording: EnfTrack,
  residual: Residual,
  sizes: { window: number; step: number },
  run: { first: number; last: number; count: number },
): LocatedSpan {
  const { usable, tolerance } = residual
  const lo = run.first * sizes.step
  const hi = run.last * sizes.step + sizes.window
  let a = -1
  let b = -1
  let evidence = 0
  for (let i = lo; i < hi; i++) {
    if (usable[i] && Math.abs(residual.residual[i]!) > tolerance) {
      if (a < 0) a = i
      b = i
      evidence++
    }
  }
  if (a < 0) [a, b] = [lo, hi - 1]
  return {
    startSeconds: recording.startSeconds + a * recording.hopSeconds,
    endSeconds: recording.startSeconds + (b + 1) * recording.hopSeconds,
    windows: run.count,
    kind: 'enf_mismatch',
    evidence,
  }
}

/** The window's clipped mean shift passes the calibrated test (mean-shift-test.ts). */
export function shiftExceeded(window: WindowScore): boolean {
  return window.status === 'mismatch' && Math.abs(window.shiftSigmas) > window.shiftThreshold
}

/** Runs of ≥ k consecutive mismatched windows, or of any length holding a window the calibrated test decides, located. */
export function mismatchSpans(
  windows: readonly WindowScore[],
  k: number,
  recording: EnfTrack,
  residual: Residual,
  sizes: { window: number; step: number },
): LocatedSpan[] {
  const spans: LocatedSpan[] = []
  let runStart = -1
  for (let w = 0; w <= windows.length; w++) {
    const mismatched = w < windows.length && windows[w]!.status === 'mismatch'
    if (mismatched && runStart < 0) runStart = w
    if (!mismatched && runStart >= 0) {
      const count = w - runStart
      if (count >= k || windows.slice(runStart, w).some(shiftExceeded)) {
        spans.push(locateRun(recording, residual, sizes, { first: runStart, last: w - 1, count }))
      }
      runStart = -1
    }
  }
  return spans
}

/** Verdict-length windows (`sizes.window` steps every `sizes.step`) that the calibrated test decides, located. */
export function longWindowSpans(
  scanned: readonly WindowScore[],
  recording: EnfTrack,
  residual: Residual,
  sizes: { window: number; step: number },
): LocatedSpan[] {
  const spans: LocatedSpan[] = []
  for (const [w, window] of scanned.entries()) {
    if (shiftExceeded(window))
      spans.push(locateRun(recording, residual, sizes, { first: w, last: w, count: 1 }))
  }
  return spans
}

/**
 * The recording's phase jumps that no reference jump explains within 1 s at the aligned time, nor a
 * reference disturbance (a dropout or burst, `jumpRad` NaN) within 3 s: after a disturbance of
 * the hum, noise can delay where the recording's jump shows to its next clean block.
 */
export function unexplainedDiscontinuities(
  recorded: readonly Discontinuity[],
  reference: readonly Discontinuity[],
  lagSeconds: number,
): Discontinuity[] {
  return recorded.filter(
    (d) =>
      !reference.some(
        (r) =>
          Math.abs(r.timeSeconds - (d.timeSeconds + lagSeconds)) <=
          (Number.isNaN(r.jumpRad) ? 3 : 1),
      ),
  )
}

/** One second around each unexplained phase jump. */
export function discontinuitySpans(discontinuities: readonly Discontinuity[]): LocatedSpan[] {
  return discontinuities.map((d) => ({
    startSeconds: d.timeSeconds - 0.5,
    endSeconds: d.timeSeconds + 0.5,
    windows: 0,
    kind: 'phase_discontinuity' as const,
    evidence: 1,
  }))
}

/** Merges overlapping spans (an ENF mismatch absorbs a phase jump inside it). */
export function mergeSpans(spans: readonly LocatedSpan[]): TamperedSpan[] {
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
