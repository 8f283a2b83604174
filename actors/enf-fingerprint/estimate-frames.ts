/**
 * Steps 4–6 of ENF extraction (extract-enf.ts): the STFT of the folded
 * signal, only over the bins around the folded harmonics, in chunks of
 * frames (bounded memory on day-long recordings); per frame and harmonic the
 * peak (parabolic interpolation on log power, after dividing out the comb
 * tooth's shape) and its local SNR; then the harmonics combined.
 */
import type { FftCore } from '../../wasm/index.ts'
import { type Combined, combineHarmonics, createCombined } from './combine-harmonics.ts'
import { combPowerResponse, type FoldedBand, type Nominal } from './harmonic-folding.ts'

/** Harmonics whose local SNR is below this (linear power ratio) get no weight. */
const MIN_HARMONIC_SNR = 3
/** Largest per-step SNR reported (linear); keeps a silent noise floor from giving Infinity. */
const MAX_SNR = 1e9
/** STFT frames per stftBandPower call (bounds memory: ≈ 10 MB of band power per chunk). */
const FRAMES_PER_CHUNK = 1024

/** A folded band with its STFT bins: the peak search range and the noise floor around it. */
export type SpectralBand = FoldedBand & {
  searchLo: number
  searchHi: number
  noiseLo: number
  noiseHi: number
  /** 1 / comb power response per bin of noiseLo…noiseHi (flattens the floor around the line). */
  equalise: Float64Array
}

/** The STFT layout of the folded signal. */
export type FrameLayout = {
  frameLength: number
  hop: number
  nfft: number
  binHz: number
  totalFrames: number
}

/** Per STFT frame: the combined estimate and, per harmonic, its SNR and whether it was used. */
export type FrameEstimates = {
  frequency: Float64Array
  snr: Float64Array
  perHarmonicSnr: Float64Array[]
  perHarmonicUsed: Uint8Array[]
}

/** The bins of each band for an STFT with `binHz` resolution. */
export function spectralBands(
  bands: readonly FoldedBand[],
  binHz: number,
  noiseMargin: number,
  nominal: Nominal,
): SpectralBand[] {
  return bands.map((band) => {
    const noiseLo = Math.floor((band.centre - band.search - noiseMargin) / binHz)
    const noiseHi = Math.ceil((band.centre + band.search + noiseMargin) / binHz)
    // Undo the comb tooth's shape (known exactly) so the noise floor around the line is flat:
    // bin k holds the component h·f0 + δ of the original signal, δ = sign·(k·binHz − centre).
    const equalise = new Float64Array(noiseHi - noiseLo + 1)
    for (let k = noiseLo; k <= noiseHi; k++) {
      const delta = band.sign * (k * binHz - band.centre)
      equalise[k - noiseLo] = 1 / combPowerResponse(delta, nominal)
    }
    return {
      ...band,
      searchLo: Math.round((band.centre - band.search) / binHz),
      searchHi: Math.round((band.centre + band.search) / binHz),
      noiseLo,
      noiseHi,
      equalise,
    }
  })
}

/** One band's measurement in one frame (reused buffer). */
type BandMeasure = { deviation: number; snr: number; weight: number }

/** Peak, interpolated deviation (Hz, fundamental units), SNR and weight of one band in one frame row. */
function measureBand(
  power: Float64Array,
  row: number,
  band: SpectralBand,
  mainLobeBins: number,
  binHz: number,
  out: BandMeasure,
): void {
  const eq = band.equalise
  // Equalised power of bin k: power[row + k] · eq[k − noiseLo].
  let peak = band.searchLo
  let peakPower = power[row + peak]! * eq[peak - band.noiseLo]!
  for (let k = band.searchLo + 1; k <= band.searchHi; k++) {
    const p = power[row + k]! * eq[k - band.noiseLo]!
    if (p > peakPower) {
      peak = k
      peakPower = p
    }
  }
  let noiseSum = 0
  let noiseCount = 0
  for (let k = band.noiseLo; k <= band.noiseHi; k++) {
    if (Math.abs(k - peak) > mainLobeBins) {
      noiseSum += power[row + k]! * eq[k - band.noiseLo]!
      noiseCount++
    }
  }
  const noise = noiseSum / Math.max(1, noiseCount)
  const snr = noise > 0 ? Math.min(MAX_SNR, peakPower / noise) : 0
  const j = peak - band.noiseLo
  const alpha = Math.log(power[row + peak - 1]! * eq[j - 1]! + 1e-300)
  const beta = Math.log(peakPower + 1e-300)
  const gamma = Math.log(power[row + peak + 1]! * eq[j + 1]! + 1e-300)
  const denominator = alpha - 2 * beta + gamma
  const delta =
    denominator < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (alpha - gamma)) / denominator)) : 0
  const foldedHz = (peak + delta) * binHz
  const atEdge = peak === band.searchLo || peak === band.searchHi
  out.deviation = (band.sign * (foldedHz - band.centre)) / band.harmonic
  out.snr = snr
  out.weight = !atEdge && snr >= MIN_HARMONIC_SNR ? band.harmonic * band.harmonic * snr : 0
}

/** Runs the band-limited STFT over the folded signal and estimates every frame. */
export function estimateFrames(
  folded: Float64Array,
  layout: FrameLayout,
  bands: readonly SpectralBand[],
  options: { core: FftCore; nominal: Nominal },
): FrameEstimates {
  const { frameLength, hop, nfft, binHz, totalFrames } = layout
  const binLo = Math.min(...bands.map((b) => b.noiseLo))
  const binHi = Math.max(...bands.map((b) => b.noiseHi)) + 1
  const mainLobeBins = Math.ceil((2.5 * nfft) / frameLength)
  const estimates: FrameEstimates = {
    frequency: new Float64Array(totalFrames),
    snr: new Float64Array(totalFrames),
    perHarmonicSnr: bands.map(() => new Float64Array(totalFrames)),
    perHarmonicUsed: bands.map(() => new Uint8Array(totalFrames)),
  }
  const deviation = new Float64Array(bands.length)
  const weight = new Float64Array(bands.length)
  const snrs = new Float64Array(bands.length)
  const combined: Combined = createCombined(bands.length)
  const measure: BandMeasure = { deviation: 0, snr: 0, weight: 0 }
  for (let first = 0; first < totalFrames; first += FRAMES_PER_CHUNK) {
    const count = Math.min(FRAMES_PER_CHUNK, totalFrames - first)
    const slice = folded.subarray(first * hop, (first + count - 1) * hop + frameLength)
    const stft = options.core.stftBandPower(slice, {
      frameLength,
      hop,
      nfft,
      window: 'hann',
      binLo,
      binHi,
    })
    for (let c = 0; c < stft.frames; c++) {
      const f = first + c
      const row = c * stft.bins - binLo
      for (let b = 0; b < bands.length; b++) {
        measureBand(stft.power, row, bands[b]!, mainLobeBins, binHz, measure)
        deviation[b] = measure.deviation
        weight[b] = measure.weight
        snrs[b] = measure.snr
        estimates.perHarmonicSnr[b]![f] = measure.snr
      }
      combineHarmonics(deviation, weight, snrs, combined)
      for (let b = 0; b < bands.length; b++) estimates.perHarmonicUsed[b]![f] = combined.used[b]!
      estimates.frequency[f] = options.nominal + combined.deviation
      estimates.snr[f] = combined.snr
    }
  }
  return estimates
}
