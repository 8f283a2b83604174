/**
 * Low-SNR splice experiments on real mains references (ENF-WHU H1_ref): a
 * deterministic, seeded generator of trials, each an excerpt (4–7 min) of a
 * reference, with white noise at a controlled in-band hum SNR (hum power over
 * noise power in a 1 Hz band, as in splice-experiment.ts), and either
 * untouched (a control) or carrying one 30–60 s splice:
 *  - `replace-foreign`: a segment replaced by another reference's audio;
 *  - `replace-same`: a segment replaced by audio from elsewhere (≥ 60 s away)
 *    in the same reference (the same day's grid at another time);
 *  - `insert-foreign`: another reference's audio inserted, the rest of the
 *    excerpt shifted later (the excerpt keeps its length).
 * The forger matches levels (the segment is scaled to the host's RMS). The
 * grid reference is the whole clean host reference, aligned around the
 * excerpt's known start (±10 s), as a grid CSV with a capture time would be.
 *
 * References are split into halves by parity: thresholds are calibrated on
 * the odd ones and rates reported on the even ones (and the other way round
 * as a check), so no figure is measured on the data that set it.
 */
import type { FftCore } from '../../../wasm/index.ts'
import { type CompareEnfResult, compareEnf } from '../compare-enf.ts'
import {
  type Discontinuity,
  detectDiscontinuities,
  REFERENCE_DISCONTINUITY_OPTIONS,
} from '../detect-discontinuities.ts'
import { type EnfSeries, extractEnf } from '../extract-enf.ts'
import type { MonoAudio } from '../read-wav.ts'
import { addNoise, createRandom } from './splice-experiment.ts'

export type TrialKind = 'control' | 'replace-foreign' | 'replace-same' | 'insert-foreign'

/** One trial, fully determined by its fields (times in seconds). */
export type LowSnrTrial = {
  kind: TrialKind
  host: number
  /** Reference the foreign audio comes from (the host itself for `replace-same` and controls). */
  donor: number
  excerptStartS: number
  excerptLengthS: number
  /** Splice position in excerpt time, its length, and where the audio comes from in the donor. */
  spliceStartS: number
  spliceLengthS: number
  donorStartS: number
  snrDb: number
  noiseSeed: number
}

const KINDS: readonly TrialKind[] = ['replace-foreign', 'replace-same', 'insert-foreign']

/** Plans `perHost` spliced trials and `perHost` controls for every host, deterministically from `seed`. */
export function planLowSnrTrials(options: {
  hosts: readonly number[]
  donors: readonly number[]
  /** Length of each reference (s), by number. */
  durations: ReadonlyMap<number, number>
  perHost: number
  snrDb: number
  seed: number
}): LowSnrTrial[] {
  const random = createRandom(options.seed)
  const trials: LowSnrTrial[] = []
  const between = (lo: number, hi: number) => lo + random() * (hi - lo)
  for (const host of options.hosts) {
    const hostSeconds = options.durations.get(host)!
    for (let t = 0; t < 2 * options.perHost; t++) {
      const excerptLengthS = Math.round(between(240, Math.min(420, hostSeconds - 20)))
      const excerptStartS = Math.round(between(5, hostSeconds - excerptLengthS - 5))
      const spliceLengthS = 30 + Math.floor(random() * 31)
      const spliceStartS = Math.round(between(40, excerptLengthS - 40 - spliceLengthS))
      const kind = t % 2 === 0 ? 'control' : KINDS[Math.floor(t / 2) % KINDS.length]!
      const others = options.donors.filter((d) => d !== host)
      const donor =
        kind === 'replace-foreign' || kind === 'insert-foreign'
          ? others[Math.floor(random() * others.length)]!
          : host
      const donorSeconds = options.durations.get(donor)!
      let donorStartS = between(1, donorSeconds - spliceLengthS - 1)
      if (kind === 'replace-same') {
        // Elsewhere in the host: at least 60 s from the replaced stretch.
        const at = excerptStartS + spliceStartS
        while (Math.abs(donorStartS - at) < 60)
          donorStartS = between(1, hostSeconds - spliceLengthS - 1)
      }
      trials.push({
        kind,
        host,
        donor,
        excerptStartS,
        excerptLengthS,
        spliceStartS,
        spliceLengthS,
        donorStartS,
        snrDb: options.snrDb,
        noiseSeed: Math.floor(random() * 2 ** 31),
      })
    }
  }
  return trials
}

function rms(x: Float64Array): number {
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!
  return Math.sqrt(sum / Math.max(1, x.length))
}

/** The trial's audio: the excerpt with its splice (if any) and the noise. */
export function renderTrial(trial: LowSnrTrial, host: MonoAudio, donor: MonoAudio): MonoAudio {
  const fs = host.sampleRate
  const start = Math.round(trial.excerptStartS * fs)
  const length = Math.round(trial.excerptLengthS * fs)
  const clean = host.samples.slice(start, start + length)
  const out = new Float64Array(clean)
  if (trial.kind !== 'control') {
    const a = Math.round(trial.spliceStartS * fs)
    const l = Math.round(trial.spliceLengthS * fs)
    const d = Math.round(trial.donorStartS * fs)
    const segment = donor.samples.subarray(d, d + l)
    const gain = rms(clean.subarray(a, a + l)) / Math.max(rms(segment), 1e-12)
    for (let i = 0; i < l; i++) out[a + i] = segment[i]! * gain
    if (trial.kind === 'insert-foreign') out.set(clean.subarray(a, length - l), a + l)
  }
  const powerOf = { sampleRate: fs, samples: clean }
  return addNoise({ sampleRate: fs, samples: out }, trial.snrDb, trial.noiseSeed, powerOf)
}

/** A host's clean reference: its ENF series and the irregularities of its own hum. */
export type HostReference = { series: EnfSeries; discontinuities: Discontinuity[] }

/** Decides one trial: the recording's audio against its host's reference, aligned around `referenceOffsetSeconds`. */
export type TrialDetector = (
  audio: MonoAudio,
  reference: HostReference,
  referenceOffsetSeconds: number,
) => CompareEnfResult

/** Outcome counts of one set of trials. */
export type TrialTally = {
  splices: number
  detected: number
  splicesInconclusive: number
  /** Spliced trials with a tampered span clear of the splice (± one frame). */
  spuriousSpans: number
  controls: number
  falseAlarms: number
  controlsInconclusive: number
}

export function emptyTally(): TrialTally {
  return {
    splices: 0,
    detected: 0,
    splicesInconclusive: 0,
    spuriousSpans: 0,
    controls: 0,
    falseAlarms: 0,
    controlsInconclusive: 0,
  }
}

/** Adds one trial's result to `tally`. */
export function scoreTrial(
  tally: TrialTally,
  trial: LowSnrTrial,
  result: CompareEnfResult,
  frameSeconds: number,
) {
  if (trial.kind === 'control') {
    tally.controls++
    if (result.verdict === 'tampered') tally.falseAlarms++
    if (result.verdict === 'inconclusive') tally.controlsInconclusive++
    return
  }
  tally.splices++
  const lo = trial.spliceStartS
  // After an insertion the rest of the excerpt is displaced in time (authentic audio, wrong
  // time): a span there locates the edit too, and is not spurious.
  const hi =
    trial.kind === 'insert-foreign'
      ? trial.excerptLengthS
      : trial.spliceStartS + trial.spliceLengthS
  const spans = result.verdict === 'tampered' ? result.tamperedSpans : []
  if (spans.some((s) => s.startSeconds < hi && s.endSeconds > lo)) tally.detected++
  if (result.verdict === 'inconclusive') tally.splicesInconclusive++
  if (spans.some((s) => s.endSeconds < lo - frameSeconds || s.startSeconds > hi + frameSeconds))
    tally.spuriousSpans++
}

export type LowSnrOptions = {
  core: FftCore
  /** Reference numbers used as hosts and donors. */
  references: readonly number[]
  /** Spliced trials (and as many controls) per host and SNR. */
  perHost: number
  snrsDb: readonly number[]
  seed: number
  load: (reference: number) => Promise<MonoAudio>
  detector: TrialDetector
  /** Called after each trial (progress, or collecting statistics). */
  onTrial?: ((trial: LowSnrTrial, result: CompareEnfResult) => void) | undefined
}

/** Per SNR: the tallies of the odd-numbered (calibration) and even-numbered (evaluation) hosts. */
export type LowSnrResult = { snrDb: number; odd: TrialTally; even: TrialTally }[]

/** Clean references of every host, extracted once. */
async function hostReferences(options: LowSnrOptions) {
  const audio = new Map<number, MonoAudio>()
  const references = new Map<number, HostReference>()
  for (const n of options.references) {
    const a = await options.load(n)
    audio.set(n, a)
    const series = extractEnf(a, { nominal: 50, core: options.core })
    const discontinuities = detectDiscontinuities(a, series, {
      core: options.core,
      ...REFERENCE_DISCONTINUITY_OPTIONS,
    })
    references.set(n, { series, discontinuities })
  }
  return { audio, references }
}

/** Runs every trial at every SNR through `detector`. */
export async function runLowSnrExperiment(options: LowSnrOptions): Promise<LowSnrResult> {
  const { audio, references } = await hostReferences(options)
  const durations = new Map(
    [...audio].map(([n, a]) => [n, a.samples.length / a.sampleRate] as const),
  )
  const results: LowSnrResult = []
  for (const [s, snrDb] of options.snrsDb.entries()) {
    const trials = planLowSnrTrials({
      hosts: options.references,
      donors: options.references,
      durations,
      perHost: options.perHost,
      snrDb,
      seed: options.seed + 1000 * s,
    })
    const odd = emptyTally()
    const even = emptyTally()
    for (const trial of trials) {
      const rendered = renderTrial(trial, audio.get(trial.host)!, audio.get(trial.donor)!)
      const reference = references.get(trial.host)!
      const result = options.detector(rendered, reference, trial.excerptStartS)
      scoreTrial(trial.host % 2 ? odd : even, trial, result, reference.series.frameSeconds)
      options.onTrial?.(trial, result)
    }
    results.push({ snrDb, odd, even })
  }
  return results
}

/** The full analysis of a trial: extraction, the phase-continuity test and the comparison. */
export function fullAnalysis(core: FftCore): TrialDetector {
  return (audio, reference, referenceOffsetSeconds) => {
    const series = extractEnf(audio, { nominal: 50, core })
    return compareEnf(series, reference.series, {
      referenceOffsetSeconds,
      discontinuities: detectDiscontinuities(audio, series, { core }),
      referenceDiscontinuities: reference.discontinuities,
    })
  }
}

/** Rates of a tally (NaN where there were no trials of that kind). */
export function tallyRates(tally: TrialTally) {
  return {
    detectionRate: tally.detected / tally.splices,
    spliceInconclusiveRate: tally.splicesInconclusive / tally.splices,
    falseAlarmRate: tally.falseAlarms / tally.controls,
    controlInconclusiveRate: tally.controlsInconclusive / tally.controls,
  }
}
