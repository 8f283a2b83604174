/**
 * Splice experiments on real mains references (ENF-WHU H1_ref): a ≥ 30 s
 * segment of one recording replaced by another recording's, white noise added
 * at a given hum SNR, then extraction and comparison against the host's clean
 * reference. Shared by the tests (a subset) and the benchmark (all pairs).
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

export type SpliceCase = {
  host: MonoAudio
  donor: MonoAudio
  /** Where the foreign segment starts in the host (s). */
  spliceStartS: number
  spliceLengthS: number
  /** Where it is taken from in the donor (s). */
  donorStartS: number
  /** Hum power over white-noise power in a 1 Hz band (dB). */
  snrDb: number
  seed: number
}

export type SpliceOutcome = {
  /** A tampered span overlaps the spliced segment. */
  detected: boolean
  verdict: CompareEnfResult['verdict']
  /** Windows of the spliced recording clear of the splice (± half a frame), and how many were flagged. */
  authenticWindows: number
  falseAlarmWindows: number
  /** The untouched host with the same noise: its verdict and flagged windows. */
  controlVerdict: CompareEnfResult['verdict']
  controlWindows: number
  controlFalseAlarmWindows: number
  spliced: CompareEnfResult
}

/** Deterministic PRNG (mulberry32) so experiments repeat exactly. */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function rms(x: Float64Array): number {
  let mean = 0
  for (let i = 0; i < x.length; i++) mean += x[i]!
  mean /= x.length || 1
  let power = 0
  for (let i = 0; i < x.length; i++) power += (x[i]! - mean) ** 2
  return Math.sqrt(power / (x.length || 1))
}

/**
 * Adds white Gaussian noise so that the hum power (of `powerOf`, default the
 * audio itself) over the noise power in a 1 Hz band is `snrDb`.
 */
export function addNoise(
  audio: MonoAudio,
  snrDb: number,
  seed: number,
  powerOf: MonoAudio = audio,
): MonoAudio {
  const random = createRandom(seed)
  const x = audio.samples
  const power = rms(powerOf.samples) ** 2
  const sigma = Math.sqrt((power / 10 ** (snrDb / 10)) * (audio.sampleRate / 2))
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(random() + 1e-300))
    const phi = 2 * Math.PI * random()
    out[i] = x[i]! + sigma * r * Math.cos(phi)
    if (i + 1 < x.length) out[i + 1] = x[i + 1]! + sigma * r * Math.sin(phi)
  }
  return { sampleRate: audio.sampleRate, samples: out }
}

/** Runs one splice case and its untouched control. */
export function runSpliceCase(
  splice: SpliceCase,
  options: {
    core: FftCore
    nominal: 50 | 60
    reference?: EnfSeries | undefined
    referenceDiscontinuities?: readonly Discontinuity[] | undefined
  },
): SpliceOutcome {
  const { host, donor } = splice
  const fs = host.sampleRate
  const reference =
    options.reference ?? extractEnf(host, { nominal: options.nominal, core: options.core })
  const spliced = new Float64Array(host.samples)
  const a = Math.round(splice.spliceStartS * fs)
  const b = a + Math.round(splice.spliceLengthS * fs)
  const d = Math.round(splice.donorStartS * fs)
  // A forger matches levels: scale the foreign segment to the host's RMS.
  const segment = donor.samples.subarray(d, d + (b - a))
  const gain = rms(host.samples.subarray(a, b)) / Math.max(rms(segment), 1e-12)
  for (let i = 0; i < segment.length; i++) spliced[a + i] = segment[i]! * gain
  const noisy = addNoise({ sampleRate: fs, samples: spliced }, splice.snrDb, splice.seed, host)
  const control = addNoise(host, splice.snrDb, splice.seed)
  const referenceDiscontinuities =
    options.referenceDiscontinuities ??
    detectDiscontinuities(host, reference, {
      core: options.core,
      ...REFERENCE_DISCONTINUITY_OPTIONS,
    })
  // The full analysis: ENF comparison plus the phase-continuity test.
  const analyse = (audio: MonoAudio) => {
    const series = extractEnf(audio, { nominal: options.nominal, core: options.core })
    return compareEnf(series, reference, {
      discontinuities: detectDiscontinuities(audio, series, { core: options.core }),
      referenceDiscontinuities,
    })
  }
  const result = analyse(noisy)
  const controlResult = analyse(control)
  const halfFrame = reference.frameSeconds / 2
  const lo = splice.spliceStartS - halfFrame
  const hi = splice.spliceStartS + splice.spliceLengthS + halfFrame
  const clear = result.windows.filter((w) => w.endSeconds <= lo || w.startSeconds >= hi)
  return {
    detected: result.tamperedSpans.some(
      (s) =>
        s.startSeconds < splice.spliceStartS + splice.spliceLengthS &&
        s.endSeconds > splice.spliceStartS,
    ),
    verdict: result.verdict,
    authenticWindows: clear.filter((w) => w.status !== 'inconclusive').length,
    falseAlarmWindows: clear.filter((w) => w.status === 'mismatch').length,
    controlVerdict: controlResult.verdict,
    controlWindows: controlResult.windows.filter((w) => w.status !== 'inconclusive').length,
    controlFalseAlarmWindows: controlResult.windows.filter((w) => w.status === 'mismatch').length,
    spliced: result,
  }
}

export type SpliceSuiteOptions = {
  core: FftCore
  /** ENF-WHU reference numbers used as hosts (1–30). */
  hosts: readonly number[]
  /** Foreign segments per host, each from a different donor reference (default 1). */
  donorsPerHost?: number | undefined
  /** Reference numbers donors are drawn from (default 1–30, all of ENF-WHU H1_ref). */
  donors?: readonly number[] | undefined
  snrDb: number
  seed: number
  /** Reads reference n's audio (ENF-WHU H1_ref/NNN_ref.wav). */
  load: (reference: number) => Promise<MonoAudio>
}

export type SpliceSuiteResult = {
  cases: number
  detected: number
  /** Windows clear of the splice (spliced recordings and untouched controls) and how many were flagged. */
  authenticWindows: number
  falseAlarmWindows: number
  /** Untouched controls not called authentic. */
  controlsNotAuthentic: number
  detectionRate: number
  falseAlarmRate: number
}

/** Splices a 30–60 s foreign segment into each host (random place, donor, length) and scores detection. */
export async function runSpliceSuite(options: SpliceSuiteOptions): Promise<SpliceSuiteResult> {
  const random = createRandom(options.seed)
  const cache = new Map<number, MonoAudio>()
  const load = async (n: number) => {
    const hit = cache.get(n)
    if (hit) return hit
    const audio = await options.load(n)
    cache.set(n, audio)
    return audio
  }
  const pool = options.donors ?? Array.from({ length: 30 }, (_, i) => i + 1)
  if (pool.length < 2) throw new Error('runSpliceSuite needs at least two donor references')
  const result = {
    cases: 0,
    detected: 0,
    authenticWindows: 0,
    falseAlarmWindows: 0,
    controlsNotAuthentic: 0,
  }
  for (const hostNumber of options.hosts) {
    const host = await load(hostNumber)
    const reference = extractEnf(host, { nominal: 50, core: options.core })
    const referenceDiscontinuities = detectDiscontinuities(host, reference, {
      core: options.core,
      ...REFERENCE_DISCONTINUITY_OPTIONS,
    })
    const hostSeconds = host.samples.length / host.sampleRate
    for (let d = 0; d < (options.donorsPerHost ?? 1); d++) {
      let pick = Math.floor(random() * pool.length)
      if (pool[pick] === hostNumber) pick = (pick + 1) % pool.length
      const donorNumber = pool[pick]!
      const donor = await load(donorNumber)
      const donorSeconds = donor.samples.length / donor.sampleRate
      const length = 30 + Math.floor(random() * 31)
      const outcome = runSpliceCase(
        {
          host,
          donor,
          spliceStartS: 40 + random() * (hostSeconds - 80 - length),
          spliceLengthS: length,
          donorStartS: random() * (donorSeconds - length - 1),
          snrDb: options.snrDb,
          seed: hostNumber * 100 + d,
        },
        { core: options.core, nominal: 50, reference, referenceDiscontinuities },
      )
      result.cases++
      if (outcome.detected) result.detected++
      result.authenticWindows += outcome.authenticWindows + outcome.controlWindows
      result.falseAlarmWindows += outcome.falseAlarmWindows + outcome.controlFalseAlarmWindows
      if (outcome.controlVerdict !== 'authentic') result.controlsNotAuthentic++
    }
  }
  return {
    ...result,
    detectionRate: result.detected / result.cases,
    falseAlarmRate: result.falseAlarmWindows / Math.max(1, result.authenticWindows),
  }
}
