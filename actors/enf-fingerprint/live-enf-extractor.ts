/**
 * ENF extraction on a live stream (docs/enf.md, Live): PCM chunks in, one
 * estimate per hop out as soon as the audio for its frame has arrived. The
 * same steps as extract-enf.ts on the same settings, but incremental: the
 * comb's state and the decimation phase carry over between chunks, and only
 * the folded samples of the frames still to come are kept (the STFT overlap,
 * ≈ 20 s at ≈ 48 Hz), so the past is never processed again. On the same
 * audio at the working rate, the steps equal extractEnf's (up to the very
 * last ones, which a finished file extrapolates).
 *
 * Differences from the batch pipeline: the input must already be at the
 * working rate P × nominal (ffmpeg resamples a stream; no decimate.ts), and
 * the "typical" second energy and SNR that mark disturbed steps are medians
 * over a trailing window (`statsSeconds`) instead of the whole recording.
 */
import { median } from '../../runtime/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { EnfInvalidParameterError } from './errors.ts'
import { estimateFrames, type SpectralBand, spectralBands } from './estimate-frames.ts'
import {
  chooseFolding,
  MIN_NOISE_MARGIN_HZ,
  type Nominal,
  searchHalfWidth,
} from './harmonic-folding.ts'
import { createStreamingComb, type StreamingComb } from './streaming-comb.ts'

export type LiveEnfOptions = {
  nominal: Nominal
  /** Rate of the PCM pushed (Hz): a whole multiple P (3–20) of the nominal, e.g. 1000 for 50 Hz. */
  sampleRate: number
  core: FftCore
  /** STFT frame (s, default 20, as extractEnf). */
  frameSeconds?: number | undefined
  /** Valid steps reach this SNR (dB, default 15). */
  minSnrDb?: number | undefined
  /** Trailing span (s) of the typical second energy and SNR (default 600). */
  statsSeconds?: number | undefined
}

/** One ENF estimate on the 1 s grid of the stream (time 0 = the first sample pushed). */
export type LiveEnfStep = {
  index: number
  timeSeconds: number
  frequencyHz: number
  snrDb: number
  valid: boolean
}

export type LiveEnfExtractor = {
  readonly nominal: Nominal
  readonly sampleRate: number
  readonly frameSeconds: number
  readonly hopSeconds: number
  /** Time of step 0 (the centre of the first frame, rounded up to the grid). */
  readonly startSeconds: number
  /** Seconds of audio pushed so far. */
  readonly pushedSeconds: number
  /** Feeds PCM (any chunk size); answers the steps that became available. */
  push(samples: ArrayLike<number>): LiveEnfStep[]
}

type Layout = {
  frameLength: number
  hop: number
  nfft: number
  binHz: number
  rate: number
  decimation: number
  bands: SpectralBand[]
}

function layoutFor(nominal: Nominal, sampleRate: number, frameSeconds: number): Layout {
  const period = sampleRate / nominal
  if (!Number.isInteger(period) || period < 3 || period > 20) {
    throw new EnfInvalidParameterError(
      `Live ENF needs PCM at a whole multiple (3–20) of ${nominal} Hz, e.g. ${20 * nominal} Hz (got ${sampleRate} Hz)`,
    )
  }
  if (!(frameSeconds >= 1 && frameSeconds <= 60)) {
    throw new EnfInvalidParameterError(`frameSeconds must be in [1, 60] (got ${frameSeconds})`)
  }
  const harmonics = [1, 2, 3, 4, 5, 6].filter(
    (h) => h * nominal + searchHalfWidth(nominal, h) + 2 < sampleRate / 2,
  )
  const noiseMargin = Math.max(MIN_NOISE_MARGIN_HZ, 5 / frameSeconds)
  const fold = chooseFolding(nominal, period, harmonics, noiseMargin)
  const rate = sampleRate / fold.decimation
  const frameLength = Math.round(frameSeconds * rate)
  const hop = Math.max(1, Math.round(rate))
  let nfft = 1
  while (nfft < 4 * frameLength) nfft *= 2
  const binHz = rate / nfft
  const bands = spectralBands(fold.bands, binHz, noiseMargin, nominal)
  return { frameLength, hop, nfft, binHz, rate, decimation: fold.decimation, bands }
}

/** Trailing per-second energies and step SNRs, for the disturbed-step rule of hop-grid.ts. */
function createTrailingStats(statsSeconds: number) {
  const energies: number[] = []
  let energyBase = 0
  const snrs: number[] = []
  return {
    addSecond(energy: number) {
      energies.push(energy)
      if (energies.length > statsSeconds) {
        energies.shift()
        energyBase++
      }
    },
    /** True when a known second in [first, last] holds > 4× the typical energy. */
    burstIn(first: number, last: number): boolean {
      if (energies.length === 0) return false
      const typical = median(energies)
      for (let s = Math.max(first, energyBase); s <= last && s - energyBase < energies.length; s++)
        if (energies[s - energyBase]! > 4 * typical) return true
      return false
    },
    /** Records a step's SNR and answers the trailing median (including it). */
    typicalSnr(snrDb: number): number {
      if (Number.isFinite(snrDb)) snrs.push(snrDb)
      if (snrs.length > statsSeconds) snrs.shift()
      return snrs.length ? median(snrs) : snrDb
    },
  }
}

/** What an extractor carries between chunks. */
type Stream = {
  layout: Layout
  nominal: Nominal
  core: FftCore
  frameSeconds: number
  minSnrDb: number
  comb: StreamingComb
  stats: ReturnType<typeof createTrailingStats>
  /** Folded samples from index `foldedBase` of the folded stream on. */
  folded: Float64Array
  foldedLength: number
  foldedBase: number
  nextFrame: number
  /** Raw frame estimates still needed: frames rawBase … rawBase + rawFrequency.length − 1. */
  rawFrequency: number[]
  rawSnr: number[]
  rawBase: number
  /** Median-filtered frames still needed, from smoothedBase on. */
  smoothed: number[]
  smoothedBase: number
  firstCentre: number
  frameStep: number
  startSeconds: number
  nextStep: number
  pushed: number
  secondEnergy: number
  secondFill: number
}

function appendFolded(st: Stream, value: number): void {
  if (st.foldedLength === st.folded.length) {
    const grown = new Float64Array(st.folded.length * 2)
    grown.set(st.folded)
    st.folded = grown
  }
  st.folded[st.foldedLength++] = value
}

/** Estimates every frame the folded samples now complete, then keeps only the STFT overlap. */
function runFrames(st: Stream): void {
  const { frameLength, hop } = st.layout
  const available = st.foldedBase + st.foldedLength
  if (available < st.nextFrame * hop + frameLength) return
  const count = Math.floor((available - frameLength - st.nextFrame * hop) / hop) + 1
  const from = st.nextFrame * hop - st.foldedBase
  const slice = st.folded.subarray(from, from + (count - 1) * hop + frameLength)
  const layout = { ...st.layout, totalFrames: count }
  const estimates = estimateFrames(slice, layout, st.layout.bands, {
    core: st.core,
    nominal: st.nominal,
  })
  for (let c = 0; c < count; c++) {
    st.rawFrequency.push(estimates.frequency[c]!)
    st.rawSnr.push(estimates.snr[c]!)
  }
  st.nextFrame += count
  const keepFrom = st.nextFrame * hop - st.foldedBase
  st.folded.copyWithin(0, keepFrom, st.foldedLength)
  st.foldedLength -= keepFrom
  st.foldedBase += keepFrom
}

/** Median of 3 (the batch filter; the first frame sees only itself and the next one). */
function smoothFrames(st: Stream): void {
  const raw = (f: number) => st.rawFrequency[f - st.rawBase]!
  const rawEnd = st.rawBase + st.rawFrequency.length
  for (let f = st.smoothedBase + st.smoothed.length; f + 1 < rawEnd; f++) {
    const window = f === 0 ? [raw(0), raw(1)] : [raw(f - 1), raw(f), raw(f + 1)]
    window.sort((a, b) => a - b)
    st.smoothed.push(window[Math.floor(window.length / 2)]!)
  }
}

/** Drops the frames before `left`, which no later step needs. */
function forgetBefore(st: Stream, left: number): void {
  while (st.smoothedBase < left) {
    st.smoothed.shift()
    st.smoothedBase++
  }
  while (st.rawBase < left - 1) {
    st.rawFrequency.shift()
    st.rawSnr.shift()
    st.rawBase++
  }
}

/** The steps on the 1 s grid whose two neighbouring frames are both smoothed (hop-grid.ts). */
function emitSteps(st: Stream): LiveEnfStep[] {
  const out: LiveEnfStep[] = []
  for (;;) {
    const time = st.startSeconds + st.nextStep
    const position = (time - st.firstCentre) / st.frameStep
    const left = Math.max(0, Math.floor(position))
    if (left + 1 >= st.smoothedBase + st.smoothed.length) break
    const t = Math.min(1, Math.max(0, position - left))
    const frequencyHz =
      st.smoothed[left - st.smoothedBase]! * (1 - t) + st.smoothed[left + 1 - st.smoothedBase]! * t
    const snr = Math.min(st.rawSnr[left - st.rawBase]!, st.rawSnr[left + 1 - st.rawBase]!)
    const snrDb = snr > 0 ? 10 * Math.log10(snr) : Number.NEGATIVE_INFINITY
    const half = st.frameSeconds / 2
    const burst = st.stats.burstIn(Math.floor(time - half), Math.ceil(time + half))
    const typicalSnr = st.stats.typicalSnr(snrDb)
    const disturbed = burst && snrDb < typicalSnr - 6
    out.push({
      index: st.nextStep,
      timeSeconds: time,
      frequencyHz,
      snrDb,
      valid: snrDb >= st.minSnrDb && !disturbed,
    })
    st.nextStep++
    forgetBefore(st, left)
  }
  return out
}

function pushSamples(st: Stream, samples: ArrayLike<number>, sampleRate: number): LiveEnfStep[] {
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!
    st.secondEnergy += x * x
    if (++st.secondFill === sampleRate) {
      st.stats.addSecond(st.secondEnergy)
      st.secondEnergy = 0
      st.secondFill = 0
    }
    const y = st.comb.next(x)
    if (y !== undefined) appendFolded(st, y)
  }
  st.pushed += samples.length
  runFrames(st)
  smoothFrames(st)
  return emitSteps(st)
}

/** Creates an incremental extractor (docs/enf.md, Live). */
export function createLiveEnfExtractor(options: LiveEnfOptions): LiveEnfExtractor {
  const { nominal, sampleRate, core } = options
  const frameSeconds = options.frameSeconds ?? 20
  const layout = layoutFor(nominal, sampleRate, frameSeconds)
  const firstCentre = (layout.frameLength - 1) / 2 / layout.rate
  const st: Stream = {
    layout,
    nominal,
    core,
    frameSeconds,
    minSnrDb: options.minSnrDb ?? 15,
    comb: createStreamingComb(sampleRate / nominal, layout.decimation),
    stats: createTrailingStats(options.statsSeconds ?? 600),
    folded: new Float64Array(layout.frameLength * 4),
    foldedLength: 0,
    foldedBase: 0,
    nextFrame: 0,
    rawFrequency: [],
    rawSnr: [],
    rawBase: 0,
    smoothed: [],
    smoothedBase: 0,
    firstCentre,
    frameStep: layout.hop / layout.rate,
    startSeconds: Math.ceil(firstCentre - 1e-9),
    nextStep: 0,
    pushed: 0,
    secondEnergy: 0,
    secondFill: 0,
  }
  return {
    nominal,
    sampleRate,
    frameSeconds,
    hopSeconds: 1,
    startSeconds: st.startSeconds,
    get pushedSeconds() {
      return st.pushed / sampleRate
    },
    push: (samples) => pushSamples(st, samples, sampleRate),
  }
}
