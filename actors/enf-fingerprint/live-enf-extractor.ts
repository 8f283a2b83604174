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

/** Creates an incremental extractor (docs/enf.md, Live). */
export function createLiveEnfExtractor(options: LiveEnfOptions): LiveEnfExtractor {
  const { nominal, sampleRate, core } = options
  const frameSeconds = options.frameSeconds ?? 20
  const minSnrDb = options.minSnrDb ?? 15
  const layout = layoutFor(nominal, sampleRate, frameSeconds)
  const { frameLength, hop, rate } = layout
  const comb: StreamingComb = createStreamingComb(sampleRate / nominal, layout.decimation)
  const stats = createTrailingStats(options.statsSeconds ?? 600)
  // Folded samples from index `foldedBase` of the folded stream on.
  let folded = new Float64Array(frameLength * 4)
  let foldedLength = 0
  let foldedBase = 0
  let nextFrame = 0
  // Raw frame estimates not yet smoothed/used: frames rawBase … rawBase + raw.length − 1.
  const rawFrequency: number[] = []
  const rawSnr: number[] = []
  let rawBase = 0
  const smoothed: number[] = []
  let smoothedBase = 0
  let pushed = 0
  let secondEnergy = 0
  let secondFill = 0
  const firstCentre = (frameLength - 1) / 2 / rate
  const frameStep = hop / rate
  const startSeconds = Math.ceil(firstCentre - 1e-9)
  let nextStep = 0

  const appendFolded = (value: number) => {
    if (foldedLength === folded.length) {
      const grown = new Float64Array(folded.length * 2)
      grown.set(folded)
      folded = grown
    }
    folded[foldedLength++] = value
  }

  const runFrames = () => {
    const available = foldedBase + foldedLength
    if (available < nextFrame * hop + frameLength) return
    const count = Math.floor((available - frameLength - nextFrame * hop) / hop) + 1
    const from = nextFrame * hop - foldedBase
    const slice = folded.subarray(from, from + (count - 1) * hop + frameLength)
    const layoutNow = { ...layout, totalFrames: count }
    const estimates = estimateFrames(slice, layoutNow, layout.bands, { core, nominal })
    for (let c = 0; c < count; c++) {
      rawFrequency.push(estimates.frequency[c]!)
      rawSnr.push(estimates.snr[c]!)
    }
    nextFrame += count
    // Keep only the samples the next frame needs (the STFT overlap).
    const keepFrom = nextFrame * hop - foldedBase
    folded.copyWithin(0, keepFrom, foldedLength)
    foldedLength -= keepFrom
    foldedBase += keepFrom
  }

  /** Median of 3 (the batch filter; the first frame sees only itself and the next one). */
  const smoothFrames = () => {
    const raw = (f: number) => rawFrequency[f - rawBase]!
    const rawEnd = rawBase + rawFrequency.length
    for (let f = smoothedBase + smoothed.length; f + 1 < rawEnd; f++) {
      const window = f === 0 ? [raw(0), raw(1)] : [raw(f - 1), raw(f), raw(f + 1)]
      window.sort((a, b) => a - b)
      smoothed.push(window[Math.floor(window.length / 2)]!)
    }
  }

  const emitSteps = (): LiveEnfStep[] => {
    const out: LiveEnfStep[] = []
    for (;;) {
      const time = startSeconds + nextStep
      const position = (time - firstCentre) / frameStep
      const left = Math.max(0, Math.floor(position))
      if (left + 1 >= smoothedBase + smoothed.length) break
      const t = Math.min(1, Math.max(0, position - left))
      const frequencyHz =
        smoothed[left - smoothedBase]! * (1 - t) + smoothed[left + 1 - smoothedBase]! * t
      const snr = Math.min(rawSnr[left - rawBase]!, rawSnr[left + 1 - rawBase]!)
      const snrDb = snr > 0 ? 10 * Math.log10(snr) : Number.NEGATIVE_INFINITY
      const burst = stats.burstIn(
        Math.floor(time - frameSeconds / 2),
        Math.ceil(time + frameSeconds / 2),
      )
      const typicalSnr = stats.typicalSnr(snrDb)
      const disturbed = burst && snrDb < typicalSnr - 6
      out.push({
        index: nextStep,
        timeSeconds: time,
        frequencyHz,
        snrDb,
        valid: snrDb >= minSnrDb && !disturbed,
      })
      nextStep++
      // Frames before `left` are no longer needed.
      while (smoothedBase < left) {
        smoothed.shift()
        smoothedBase++
      }
      while (rawBase < left - 1) {
        rawFrequency.shift()
        rawSnr.shift()
        rawBase++
      }
    }
    return out
  }

  return {
    nominal,
    sampleRate,
    frameSeconds,
    hopSeconds: 1,
    startSeconds,
    get pushedSeconds() {
      return pushed / sampleRate
    },
    push(samples) {
      for (let i = 0; i < samples.length; i++) {
        const x = samples[i]!
        secondEnergy += x * x
        if (++secondFill === sampleRate) {
          stats.addSecond(secondEnergy)
          secondEnergy = 0
          secondFill = 0
        }
        const y = comb.next(x)
        if (y !== undefined) appendFolded(y)
      }
      pushed += samples.length
      runFrames()
      smoothFrames()
      return emitSteps()
    },
  }
}
