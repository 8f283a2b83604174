/**
 * Live tamper detection (docs/enf.md, Live): when a checkpoint is committed,
 * the camera's recent ENF history (ending with it) is compared with the grid
 * reference over the same wall-clock span, by the same comparison as files
 * (compare-enf.ts, with the mean-shift test). Both are on one clock, so the
 * lag search is narrow (± maxLagSeconds). A tampered span that reaches into
 * the checkpoint raises an alert naming it; spans wholly in older
 * checkpoints were alerted when those arrived.
 */
import { type CompareEnfResult, compareEnf } from './compare-enf.ts'
import { type EnfTrack, resampleTrack } from './enf-track.ts'
import type { LiveEnfStep } from './live-enf-extractor.ts'
import { refineSpanEdges } from './refine-span-edges.ts'

/** A reference series as the grid-reference actor answers it (wall-clock times). */
export type ReferenceSeries = {
  /** Wall-clock ms of frequencyHz[0]. */
  startMs: number
  hopMs: number
  frequencyHz: number[]
  snrDb: (number | null)[]
  valid: boolean[]
  /** Wall-clock ranges (ms, ends included) of the series without reference data (input lost). */
  gaps?: { fromMs: number; toMs: number }[] | undefined
}

/** Where the grid reference comes from: the series covering [fromMs, toMs], or null. */
export type ReferenceSource = {
  series(fromMs: number, toMs: number): Promise<ReferenceSeries | null>
}

/** A tamper alert: the located span and the checkpoint that raised it. */
export type EnfTamperAlert = {
  cameraId: string
  streamId: string
  checkpointSeq: number
  checkpointKey: string
  kind: 'enf_mismatch' | 'phase_discontinuity'
  /** The located span, stream time (s) and wall clock (ms). */
  startSeconds: number
  endSeconds: number
  startMs: number
  endMs: number
  reason: string
  /** Seconds of audio the camera had delivered when the checkpoint was cut. */
  audioSeconds: number
  raisedAtMs: number
}

export type CheckpointDetection = {
  status: 'tampered' | 'clear' | 'inconclusive' | 'skipped'
  reason: string
  alerts: EnfTamperAlert[]
}

type CheckpointSpan = {
  seq: number
  key: string
  startSeconds: number
  endSeconds: number
  audioSeconds: number
}

const MIN_HISTORY_STEPS = 30
/** Steps either side of a reference gap whose comparison the gap may still disturb. */
const GAP_MARGIN_SECONDS = 2

type Span = { startSeconds: number; endSeconds: number }

const overlaps = (a: Span, b: Span, margin = 0) =>
  a.endSeconds >= b.startSeconds - margin && a.startSeconds <= b.endSeconds + margin

/** The reference's gaps in stream seconds. */
function gapSpans(series: ReferenceSeries, epochMs: number): Span[] {
  return (series.gaps ?? []).map((g) => ({
    startSeconds: (g.fromMs - epochMs) / 1000,
    endSeconds: (g.toMs - epochMs) / 1000,
  }))
}

const spanText = (s: Span) => `${s.startSeconds.toFixed(1)}–${s.endSeconds.toFixed(1)} s`

/** Why a checkpoint touching a reference gap is not decided there. */
function gapReason(gaps: Span[], undecided: Span[], result: string): string {
  const where = gaps.map(spanText).join(', ')
  const spans = undecided.length ? `; not decided: ${undecided.map(spanText).join(', ')}` : ''
  return `the grid reference has no data for ${where} (its input was lost)${spans}; elsewhere: ${result}`
}

function historyTrack(history: readonly LiveEnfStep[]): EnfTrack {
  return {
    startSeconds: history[0]!.timeSeconds,
    hopSeconds: 1,
    frequency: Float64Array.from(history, (s) => s.frequencyHz),
    snrDb: Float64Array.from(history, (s) => s.snrDb),
    valid: Uint8Array.from(history, (s) => (s.valid ? 1 : 0)),
  }
}

/** Recording − aligned reference − clock offset, per recording step (NaN where unusable). */
function residualOf(
  recording: EnfTrack,
  reference: EnfTrack,
  result: CompareEnfResult,
): Float64Array {
  const n = recording.frequency.length
  const aligned = resampleTrack(
    reference,
    recording.startSeconds + result.lagSeconds,
    recording.hopSeconds,
    n,
  )
  return Float64Array.from(recording.frequency, (f, i) =>
    recording.valid?.[i] === 0 ? Number.NaN : f - aligned.frequency[i]! - result.offsetHz,
  )
}

function referenceTrack(series: ReferenceSeries, epochMs: number): EnfTrack {
  return {
    startSeconds: (series.startMs - epochMs) / 1000,
    hopSeconds: series.hopMs / 1000,
    frequency: Float64Array.from(series.frequencyHz),
    snrDb: Float64Array.from(series.snrDb, (s) => s ?? Number.NEGATIVE_INFINITY),
    valid: Uint8Array.from(series.valid, (v) => (v ? 1 : 0)),
  }
}

/** Compares the history ending with `checkpoint` with the reference; alerts for spans reaching into it. */
export async function detectCheckpointTamper(
  dependencies: { reference: ReferenceSource; now: () => number },
  input: {
    checkpoint: CheckpointSpan
    history: readonly LiveEnfStep[]
    options: {
      cameraId: string
      streamId: string
      epochMs: number
      maxLagSeconds?: number | undefined
    }
  },
): Promise<CheckpointDetection> {
  const { checkpoint, history, options } = input
  if (history.length < MIN_HISTORY_STEPS) {
    return { status: 'skipped', reason: 'less than one 30 s window of ENF so far', alerts: [] }
  }
  const maxLag = options.maxLagSeconds ?? 2
  const margin = (maxLag + 2) * 1000
  const fromMs = options.epochMs + history[0]!.timeSeconds * 1000 - margin
  const toMs = options.epochMs + history.at(-1)!.timeSeconds * 1000 + margin
  const series = await dependencies.reference.series(fromMs, toMs)
  if (!series || series.frequencyHz.length < MIN_HISTORY_STEPS) {
    return { status: 'skipped', reason: 'the grid reference does not cover this span', alerts: [] }
  }
  const recording = historyTrack(history)
  const reference = referenceTrack(series, options.epochMs)
  const result = compareEnf(recording, reference, {
    referenceOffsetSeconds: 0,
    maxLagSeconds: maxLag,
  })
  const residual = residualOf(recording, reference, result)
  const span = { startSeconds: history[0]!.timeSeconds, endSeconds: history.at(-1)!.timeSeconds }
  const gaps = gapSpans(series, options.epochMs).filter((g) => overlaps(g, span))
  const reaching = result.tamperedSpans.filter((s) =>
    overlaps(s, { startSeconds: checkpoint.startSeconds, endSeconds: checkpoint.endSeconds + 1 }),
  )
  const undecided = reaching.filter((s) => gaps.some((g) => overlaps(s, g, GAP_MARGIN_SECONDS)))
  const alerts = reaching
    .filter((s) => !undecided.includes(s))
    .map((found) => ({
      kind: found.kind,
      ...(found.kind === 'enf_mismatch'
        ? refineSpanEdges(residual, recording, found, {
            frameSteps: 20,
            noise: result.shiftNoiseHz,
          })
        : found),
    }))
    .map((s) => ({
      cameraId: options.cameraId,
      streamId: options.streamId,
      checkpointSeq: checkpoint.seq,
      checkpointKey: checkpoint.key,
      kind: s.kind,
      startSeconds: s.startSeconds,
      endSeconds: s.endSeconds,
      startMs: Math.round(options.epochMs + s.startSeconds * 1000),
      endMs: Math.round(options.epochMs + s.endSeconds * 1000),
      reason: result.reason,
      audioSeconds: checkpoint.audioSeconds,
      raisedAtMs: dependencies.now(),
    }))
  const touched = undecided.length > 0 || gaps.some((g) => overlaps(g, checkpoint))
  if (!touched) {
    return { status: alerts.length ? 'tampered' : 'clear', reason: result.reason, alerts }
  }
  return {
    status: alerts.length ? 'tampered' : 'inconclusive',
    reason: gapReason(gaps, undecided, result.reason),
    alerts,
  }
}
