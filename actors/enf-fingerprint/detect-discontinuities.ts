/**
 * Phase-continuity test for cuts and splices (after Rodriguez, Apolinário and
 * Biscainho, TIFS 2010): the mains hum's phase is continuous in an unedited
 * recording, so removing or inserting audio leaves a phase jump even when the
 * ENF frequency on both sides agrees (a 10 s deletion from a flat-ENF stretch
 * is invisible to frequency comparison).
 *
 * The strongest harmonic is demodulated with the phase predicted by the
 * extracted ENF, summed over blocks of a whole number of nominal periods
 * (which nulls the other harmonics and the image), and the block-to-block
 * phase steps are tested against their own robust spread. Only blocks whose
 * line is strong are used, so weak or absent hum reports nothing.
 */
import { median } from '../../runtime/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { decimate } from './decimate.ts'
import type { EnfSeries } from './extract-enf.ts'
import type { MonoAudio } from './read-wav.ts'

export type Discontinuity = {
  /** Time of the jump in the recording (s). */
  timeSeconds: number
  /** Phase step of the tested harmonic beyond the local trend (rad, in (−π, π]). */
  jumpRad: number
  /** |jump| over the robust σ of the phase steps. */
  score: number
}

export type DetectDiscontinuitiesOptions = {
  core?: FftCore | undefined
  /** Block length in nominal periods (default 10: 0.2 s at 50 Hz). */
  periodsPerBlock?: number | undefined
  /** A jump must exceed this many robust σ (default 8) … */
  minScore?: number | undefined
  /** … and this many radians (default 0.5). */
  minJumpRad?: number | undefined
  /**
   * Reference mode: also report blocks where the hum is disturbed (dropout or burst, `jumpRad`
   * NaN) and keep clustered jumps, so that whatever is irregular in the reference explains the
   * same irregularity in a recording of it (default false).
   */
  reportDisturbances?: boolean | undefined
}

/** The settings for a reference: sensitive, and reporting disturbances (see reportDisturbances). */
export const REFERENCE_DISCONTINUITY_OPTIONS = {
  minScore: 4,
  minJumpRad: 0.2,
  reportDisturbances: true,
} as const satisfies DetectDiscontinuitiesOptions

/** Per block: the demodulated phasor of harmonic h and the block's energy. */
type Blocks = { re: Float64Array; im: Float64Array; energy: Float64Array }

/** Demodulates with the phase the ENF predicts; sums each block (nulls at multiples of f0 / periodsPerBlock). */
function demodulateBlocks(
  x: Float64Array,
  series: EnfSeries,
  layout: { fs: number; harmonic: number; blockLength: number; blocks: number },
): Blocks {
  const { fs, harmonic, blockLength, blocks } = layout
  const re = new Float64Array(blocks)
  const im = new Float64Array(blocks)
  const energy = new Float64Array(blocks)
  let phase = 0
  const last = series.frequency.length - 1
  for (let b = 0; b < blocks; b++) {
    const t = ((b + 0.5) * blockLength) / fs
    const position = Math.min(last, Math.max(0, (t - series.startSeconds) / series.hopSeconds))
    const left = Math.min(last - 1, Math.floor(position))
    const frac = position - left
    const f = series.frequency[left]! * (1 - frac) + series.frequency[left + 1]! * frac
    const step = (2 * Math.PI * harmonic * f) / fs
    // Rotate a unit phasor sample by sample (exact trig once per block keeps it from drifting).
    const cosStep = Math.cos(step)
    const sinStep = Math.sin(step)
    let c = Math.cos(phase)
    let sn = Math.sin(phase)
    let sr = 0
    let si = 0
    let e = 0
    for (let n = b * blockLength, end = n + blockLength; n < end; n++) {
      e += x[n]! * x[n]!
      sr += x[n]! * c
      si -= x[n]! * sn
      const next = c * cosStep - sn * sinStep
      sn = sn * cosStep + c * sinStep
      c = next
    }
    phase = (phase + step * blockLength) % (2 * Math.PI)
    re[b] = sr
    im[b] = si
    energy[b] = e
  }
  return { re, im, energy }
}

/**
 * Which blocks are usable: they carry the line (no dropout or silence) and are not drowned in a
 * burst of other sound (a door, a shout): bursts scramble the phase without any edit.
 */
function cleanBlocks({ re, im, energy }: Blocks): (b: number) => boolean {
  const magnitude = Array.from(re, (r, b) => Math.hypot(r, im[b]!))
  const typical = medianOf(magnitude)
  const typicalEnergy = medianOf(Array.from(energy))
  return (b) => magnitude[b]! >= 0.5 * typical && energy[b]! <= 2 * typicalEnergy
}

/** Phase steps between consecutive clean blocks, detrended by a running median. */
function detrendedSteps(
  { re, im }: Blocks,
  clean: (b: number) => boolean,
): { b: number; delta: number; residual: number }[] {
  const steps: { b: number; delta: number }[] = []
  for (let b = 1; b < re.length; b++) {
    if (!clean(b) || !clean(b - 1)) continue
    const delta = Math.atan2(
      im[b]! * re[b - 1]! - re[b]! * im[b - 1]!,
      re[b]! * re[b - 1]! + im[b]! * im[b - 1]!,
    )
    steps.push({ b, delta })
  }
  // Local trend (the ENF estimate's residual drift) by a running median.
  const half = 10
  return steps.map((s, i) => {
    const around = steps.slice(Math.max(0, i - half), i + half + 1).map((x) => x.delta)
    return { ...s, residual: wrap(s.delta - medianOf(around)) }
  })
}

/** The working-rate audio and its block layout, or null when too short to test. */
function blockLayout(audio: MonoAudio, series: EnfSeries, options: DetectDiscontinuitiesOptions) {
  const nominal = series.nominal
  const best = [...series.harmonics].sort((a, b) => b.medianSnrDb - a.medianSnrDb)[0]
  if (!best || series.frequency.length < 2) return null
  const period = Math.min(20, Math.floor(audio.sampleRate / nominal))
  const fs = period * nominal
  const x =
    audio.sampleRate === fs
      ? audio.samples
      : decimate(audio.samples, audio.sampleRate, fs, {
          passbandHz: Math.min(6 * nominal + 5, fs / 2 - 1),
          core: options.core,
        })
  const blockLength = (options.periodsPerBlock ?? 10) * period
  const blocks = Math.floor(x.length / blockLength)
  if (blocks < 8) return null
  return { x, layout: { fs, harmonic: best.harmonic, blockLength, blocks } }
}

/** Finds phase jumps of the hum in `audio`, given its extracted ENF series. */
export function detectDiscontinuities(
  audio: MonoAudio,
  series: EnfSeries,
  options: DetectDiscontinuitiesOptions = {},
): Discontinuity[] {
  const prepared = blockLayout(audio, series, options)
  if (!prepared) return []
  const { fs, blockLength, blocks } = prepared.layout
  const demodulated = demodulateBlocks(prepared.x, series, prepared.layout)
  const clean = cleanBlocks(demodulated)
  const detrended = detrendedSteps(demodulated, clean)
  if (detrended.length < 8) return []
  // Spread by the MAD.
  const sigma = 1.4826 * medianOf(detrended.map((s) => Math.abs(s.residual))) || 1e-9
  const minScore = options.minScore ?? 8
  const minJump = options.minJumpRad ?? 0.5
  const jumps = detrended
    .filter((s) => Math.abs(s.residual) > Math.max(minScore * sigma, minJump))
    .map((s) => ({
      timeSeconds: (s.b * blockLength) / fs,
      jumpRad: s.residual,
      score: Math.abs(s.residual) / sigma,
    }))
  if (options.reportDisturbances) {
    for (let b = 0; b < blocks; b++) {
      if (!clean(b))
        jumps.push({ timeSeconds: (b * blockLength) / fs, jumpRad: Number.NaN, score: 0 })
    }
    return jumps.sort((a, b) => a.timeSeconds - b.timeSeconds)
  }
  // An edit leaves one jump (a cut) or two far apart (a splice); several within a few seconds are
  // a disturbance of the hum itself, not evidence of editing.
  return jumps.filter(
    (jump) =>
      jumps.filter((other) => Math.abs(other.timeSeconds - jump.timeSeconds) <= CLUSTER_SECONDS)
        .length === 1,
  )
}

/** Jumps closer than this (s) to another jump are treated as a disturbance, not an edit. */
const CLUSTER_SECONDS = 3

function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle))
}

/** The median, 0 for no values (a stretch without steps adds no offset). */
function medianOf(values: number[]): number {
  return values.length === 0 ? 0 : median(values)
}
