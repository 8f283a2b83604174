/**
 * ENF extraction: audio in, one grid-frequency estimate (and its SNR) per hop out.
 *
 * Pipeline (see ../shared/notes/enf.md §2):
 *  1. Resample with an anti-alias filter to a working rate that is an integer
 *     multiple P of the nominal frequency (1 kHz for 50 Hz, 1.2 kHz for 60 Hz;
 *     400 Hz references stay as they are).
 *  2. Band-pass around the nominal and every harmonic at once with a harmonic
 *     comb (two cascaded one-pole combs of period P, pole 0.8: teeth ±1.15 Hz
 *     wide (−3 dB, at 50 Hz) at every multiple of the nominal, −38 dB between
 *     teeth). The tooth's known shape is divided out of the spectrum below, so
 *     the noise floor around each line is flat and the peak is not biased.
 *  3. Decimate the comb output by D, chosen so that each harmonic h folds to
 *     its own narrow band c_h (for 1 kHz / 50 Hz: D = 19, harmonic h lands at
 *     2.63·h Hz). The comb is the anti-alias filter of this step, so the STFT
 *     runs at ≈ 50 Hz instead of 1 kHz: this is what makes extraction cost
 *     ≈ 1/20 of a full-rate STFT with identical frequency resolution.
 *  4. STFT through {@link FftCore.stftBandPower} (Hann, ≥ 4× zero-padding,
 *     20 s frames, 1 s hop), only the bins around the folded harmonics.
 *  5. Per harmonic: argmax inside h·f0 ± 0.1·h Hz (50 Hz grids) or ± 0.05·h Hz
 *     (60 Hz), parabolic interpolation on log power, local SNR (peak over the
 *     mean of the surrounding band without the main lobe).
 *  6. SNR-weighted combination (weight h²·SNR, the inverse variance of the
 *     per-harmonic estimate divided by h) over the harmonics that agree with
 *     the weighted median; a 3-step median post-filter.
 *  7. Interpolation of the frame estimates onto the exact hop grid.
 */
import type { FftCore } from '../../wasm/fft-core.ts'
import { decimate } from './decimate.ts'
import { EnfInvalidParameterError, EnfTooShortError } from './errors.ts'
import type { MonoAudio } from './read-wav.ts'

/** Grid nominal frequency in Hz. */
export type Nominal = 50 | 60

export type ExtractEnfOptions = {
  nominal: Nominal
  core: FftCore
  /** STFT frame length in seconds (default 20: 16 s is the common default, 20 s measured better on real noisy audio). */
  frameSeconds?: number | undefined
  /** Step between estimates in seconds (default 1). */
  hopSeconds?: number | undefined
  /** Harmonics to combine (default 1–6; those above the working Nyquist are dropped). */
  harmonics?: readonly number[] | undefined
  /** A step counts as valid when its combined SNR reaches this (dB, default 15: recordings without ENF stay below it 99 % of the time). */
  minSnrDb?: number | undefined
  /** Median post-filter length in steps, odd (default 3; 1 disables). */
  medianSteps?: number | undefined
}

/** An ENF series: frequency[i] is the estimate at startSeconds + i·hopSeconds. */
export type EnfSeries = {
  nominal: Nominal
  /** Time of the first estimate (centre of the first frame), seconds from the start of the audio. */
  startSeconds: number
  hopSeconds: number
  /** Estimated grid frequency per step (Hz). */
  frequency: Float64Array
  /** Combined ENF line SNR per step (dB, peak over local noise floor, summed over used harmonics). */
  snrDb: Float64Array
  /** 1 where snrDb ≥ minSnrDb and the step is not disturbed. */
  valid: Uint8Array
  /** 1 where a burst of other sound inside the frame lowered the SNR by > 6 dB (estimate unreliable). */
  disturbed: Uint8Array
  /** Per harmonic: how often it contributed and its median SNR (dB). */
  harmonics: { harmonic: number; usedFraction: number; medianSnrDb: number }[]
  frameSeconds: number
}

const DEFAULT_HARMONICS = [1, 2, 3, 4, 5, 6]
/** Harmonics whose local SNR is below this (linear power ratio) get no weight. */
const MIN_HARMONIC_SNR = 3
/** Harmonics further than this from the weighted median (Hz, in fundamental units) are outliers. */
const AGREEMENT_HZ = 0.015
/** Each folded band keeps at least this much (Hz) beyond the search range for the noise floor. */
const MIN_NOISE_MARGIN_HZ = 0.5
/** Largest per-step SNR reported (linear); keeps a silent noise floor from giving Infinity. */
const MAX_SNR = 1e9

/** Noise margin (Hz) for a frame length: the Hann main lobe is ±2/T, keep ≥ 2 lobe widths of floor. */
function noiseMarginHz(frameSeconds: number): number {
  return Math.max(MIN_NOISE_MARGIN_HZ, 5 / frameSeconds)
}
const COMB_POLE = 0.8
/** STFT frames per stftBandPower call (bounds memory: ≈ 10 MB of band power per chunk). */
const FRAMES_PER_CHUNK = 1024

/** The half-width (Hz) of the peak search around harmonic h. */
export function searchHalfWidth(nominal: Nominal, harmonic: number): number {
  return (nominal === 50 ? 0.1 : 0.05) * harmonic
}

/** Extracts the ENF series of mono audio. */
export function extractEnf(audio: MonoAudio, options: ExtractEnfOptions): EnfSeries {
  const { nominal, core } = options
  if (nominal !== 50 && nominal !== 60) {
    throw new EnfInvalidParameterError(
      `The nominal grid frequency must be 50 or 60 Hz, got ${String(nominal)}`,
    )
  }
  const frameSeconds = options.frameSeconds ?? 20
  const hopSeconds = options.hopSeconds ?? 1
  const minSnrDb = options.minSnrDb ?? 15
  const medianSteps = options.medianSteps ?? 3
  if (
    !(frameSeconds >= 1 && frameSeconds <= 60) ||
    !(hopSeconds > 0 && hopSeconds <= frameSeconds)
  ) {
    throw new EnfInvalidParameterError(
      `frameSeconds must be in [1, 60] and hopSeconds in (0, frameSeconds] (got ${frameSeconds}, ${hopSeconds})`,
    )
  }
  const fs = audio.sampleRate
  const period = Math.min(20, Math.floor(fs / nominal))
  if (period < 3) {
    throw new EnfInvalidParameterError(
      `A ${fs} Hz recording cannot carry a ${nominal} Hz ENF (needs ≥ ${3 * nominal} Hz sampling)`,
    )
  }
  const workRate = period * nominal
  const harmonics = (options.harmonics ?? DEFAULT_HARMONICS).filter(
    (h) =>
      Number.isInteger(h) && h >= 1 && h * nominal + searchHalfWidth(nominal, h) + 2 < workRate / 2,
  )
  if (harmonics.length === 0) {
    throw new EnfInvalidParameterError(`No requested harmonic lies below ${workRate / 2} Hz`)
  }
  if (audio.samples.length < (frameSeconds + hopSeconds) * fs) {
    throw new EnfTooShortError(
      `The audio lasts ${(audio.samples.length / fs).toFixed(1)} s; ENF extraction needs at least ${frameSeconds + hopSeconds} s (one ${frameSeconds} s frame)`,
      { meta: { seconds: audio.samples.length / fs, frameSeconds } },
    )
  }
  const maxHarmonic = Math.max(...harmonics)
  const working =
    fs === workRate
      ? audio.samples
      : decimate(audio.samples, fs, workRate, {
          passbandHz: Math.min(maxHarmonic * nominal + 5, workRate / 2 - 1),
          core,
        })
  const noiseMargin = noiseMarginHz(frameSeconds)
  const fold = chooseFolding(nominal, period, harmonics, noiseMargin)
  const folded = combAndDecimate(working, period, fold.decimation)
  const rate = workRate / fold.decimation

  const frameLength = Math.round(frameSeconds * rate)
  const hop = Math.max(1, Math.round(hopSeconds * rate))
  let nfft = 1
  while (nfft < 4 * frameLength) nfft *= 2
  const binHz = rate / nfft
  const bands = fold.bands.map((band) => {
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
  const binLo = Math.min(...bands.map((b) => b.noiseLo))
  const binHi = Math.max(...bands.map((b) => b.noiseHi)) + 1
  const totalFrames =
    folded.length >= frameLength ? Math.floor((folded.length - frameLength) / hop) + 1 : 0
  if (totalFrames < 2) {
    throw new EnfTooShortError('The audio is too short for two ENF frames', {
      meta: { seconds: audio.samples.length / fs, frameSeconds },
    })
  }
  const mainLobeBins = Math.ceil((2.5 * nfft) / frameLength)

  const frameFrequency = new Float64Array(totalFrames)
  const frameSnr = new Float64Array(totalFrames)
  const perHarmonicSnr = bands.map(() => new Float64Array(totalFrames))
  const perHarmonicUsed = bands.map(() => new Uint8Array(totalFrames))
  const deviation = new Float64Array(bands.length)
  const weight = new Float64Array(bands.length)
  const snrs = new Float64Array(bands.length)
  const combined: Combined = {
    deviation: 0,
    snr: 0,
    used: new Uint8Array(bands.length),
    order: new Int32Array(bands.length),
  }
  // The STFT runs in chunks of frames so memory stays bounded on day-long recordings.
  for (let first = 0; first < totalFrames; first += FRAMES_PER_CHUNK) {
    const count = Math.min(FRAMES_PER_CHUNK, totalFrames - first)
    const slice = folded.subarray(first * hop, (first + count - 1) * hop + frameLength)
    const stft = core.stftBandPower(slice, { frameLength, hop, nfft, window: 'hann', binLo, binHi })
    const power = stft.power
    for (let c = 0; c < stft.frames; c++) {
      const f = first + c
      const row = c * stft.bins - binLo
      for (let b = 0; b < bands.length; b++) {
        const band = bands[b]!
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
        deviation[b] = (band.sign * (foldedHz - band.centre)) / band.harmonic
        const atEdge = peak === band.searchLo || peak === band.searchHi
        snrs[b] = snr
        weight[b] = !atEdge && snr >= MIN_HARMONIC_SNR ? band.harmonic * band.harmonic * snr : 0
        perHarmonicSnr[b]![f] = snr
      }
      combine(deviation, weight, snrs, combined)
      for (let b = 0; b < bands.length; b++) perHarmonicUsed[b]![f] = combined.used[b]!
      frameFrequency[f] = nominal + combined.deviation
      frameSnr[f] = combined.snr
    }
  }
  const smoothed = medianSteps > 1 ? medianFilter(frameFrequency, medianSteps) : frameFrequency

  // Frame f is centred at (f·hop + (frameLength − 1)/2) / rate; put estimates on the exact hop grid.
  const firstCentre = (frameLength - 1) / 2 / rate
  const frameStep = hop / rate
  const lastCentre = firstCentre + (totalFrames - 1) * frameStep
  const startSeconds = Math.ceil(firstCentre / hopSeconds - 1e-9) * hopSeconds
  const steps = Math.floor((lastCentre - startSeconds) / hopSeconds + 1e-9) + 1
  const frequency = new Float64Array(steps)
  const snrDb = new Float64Array(steps)
  const valid = new Uint8Array(steps)
  for (let i = 0; i < steps; i++) {
    const position = (startSeconds + i * hopSeconds - firstCentre) / frameStep
    const left = Math.min(totalFrames - 2, Math.max(0, Math.floor(position)))
    const t = Math.min(1, Math.max(0, position - left))
    frequency[i] = smoothed[left]! * (1 - t) + smoothed[left + 1]! * t
    const snr = Math.min(frameSnr[left]!, frameSnr[left + 1]!)
    snrDb[i] = snr > 0 ? 10 * Math.log10(snr) : -Infinity
  }
  // Bursts of other sound (doors, voices) inside a frame bias its estimate by several mHz while
  // its SNR can stay above the gate: a step is disturbed when its frame holds a second whose
  // energy is > 4× the typical second's and its SNR sits > 6 dB below the recording's median.
  const burst = burstSeconds(working, workRate)
  const typicalSnr = median(Array.from(snrDb).filter(Number.isFinite))
  const disturbed = new Uint8Array(steps)
  for (let i = 0; i < steps; i++) {
    const centre = startSeconds + i * hopSeconds
    const first = Math.max(0, Math.floor(centre - frameSeconds / 2))
    const last = Math.min(burst.length - 1, Math.ceil(centre + frameSeconds / 2))
    let hasBurst = false
    for (let s = first; s <= last && !hasBurst; s++) hasBurst = burst[s] === 1
    disturbed[i] = hasBurst && snrDb[i]! < typicalSnr - 6 ? 1 : 0
    valid[i] = snrDb[i]! >= minSnrDb && disturbed[i] === 0 ? 1 : 0
  }
  return {
    nominal,
    startSeconds,
    hopSeconds,
    frequency,
    snrDb,
    valid,
    disturbed,
    frameSeconds,
    harmonics: bands.map((band, b) => {
      const used = perHarmonicUsed[b]!
      let count = 0
      for (let f = 0; f < used.length; f++) count += used[f]!
      return {
        harmonic: band.harmonic,
        usedFraction: count / used.length,
        medianSnrDb: 10 * Math.log10(median(perHarmonicSnr[b]!)),
      }
    }),
  }
}

type FoldedBand = {
  harmonic: number
  /** Where harmonic h·f0 lands after decimation (Hz). */
  centre: number
  /** +1 if a positive grid deviation moves the folded line up, −1 if down. */
  sign: 1 | -1
  /** Peak search half-width (Hz, = h · per-harmonic search). */
  search: number
}

/**
 * Picks the largest decimation D such that every used harmonic folds to its
 * own band, clear of DC, Nyquist and every other comb tooth (0 … P/2).
 */
export function chooseFolding(
  nominal: Nominal,
  period: number,
  harmonics: readonly number[],
  noiseMargin: number = MIN_NOISE_MARGIN_HZ,
): { decimation: number; bands: FoldedBand[] } {
  const workRate = period * nominal
  const foldOf = (h: number, rate: number) => {
    const a = (h * nominal) % rate
    return a > rate / 2 ? { centre: rate - a, sign: -1 as const } : { centre: a, sign: 1 as const }
  }
  for (let d = 4 * period; d >= 1; d--) {
    const rate = workRate / d
    const bands = harmonics.map((h) => ({
      harmonic: h,
      ...foldOf(h, rate),
      search: searchHalfWidth(nominal, h),
    }))
    const ok = bands.every((band) => {
      const half = band.search + noiseMargin + 0.1
      if (band.centre - half < 0.3 || band.centre + half > rate / 2 - 0.3) return false
      for (let tooth = 0; tooth <= Math.floor(period / 2); tooth++) {
        if (tooth === band.harmonic) continue
        const other = foldOf(tooth, rate)
        const reach = tooth === 0 ? 0.3 : Math.max(0.3, searchHalfWidth(nominal, tooth) * 1.5)
        if (Math.abs(other.centre - band.centre) < half + reach) return false
      }
      return true
    })
    if (ok) return { decimation: d, bands }
  }
  throw new EnfInvalidParameterError('No decimation separates the requested harmonics')
}

/** 1 for each whole second of `x` whose energy exceeds 4× the median second's. */
function burstSeconds(x: Float64Array, rate: number): Uint8Array {
  const seconds = Math.floor(x.length / rate)
  const energy = new Float64Array(seconds)
  for (let s = 0; s < seconds; s++) {
    let e = 0
    for (let n = s * rate, end = n + rate; n < end; n++) e += x[n]! * x[n]!
    energy[s] = e
  }
  const typical = median(energy)
  return Uint8Array.from(energy, (e) => (e > 4 * typical ? 1 : 0))
}

/** Power response |H|² of the two cascaded combs at δ Hz from a tooth centre. */
function combPowerResponse(delta: number, nominal: number): number {
  const a = COMB_POLE
  const one = ((1 - a) * (1 - a)) / (1 - 2 * a * Math.cos((2 * Math.PI * delta) / nominal) + a * a)
  return one * one
}

/** Two cascaded one-pole combs of period P (teeth at every multiple of the nominal), then every D-th sample. */
function combAndDecimate(x: Float64Array, period: number, decimation: number): Float64Array {
  const n = x.length
  const gain = 1 - COMB_POLE
  const stage1 = new Float64Array(period)
  const stage2 = new Float64Array(period)
  const out = new Float64Array(Math.floor((n - 1) / decimation) + 1)
  let slot = 0
  let next = 0
  let o = 0
  for (let i = 0; i < n; i++) {
    const y1 = gain * x[i]! + COMB_POLE * stage1[slot]!
    stage1[slot] = y1
    const y2 = gain * y1 + COMB_POLE * stage2[slot]!
    stage2[slot] = y2
    if (i === next) {
      out[o++] = y2
      next += decimation
    }
    slot = slot + 1 === period ? 0 : slot + 1
  }
  return out
}

/** Per-frame combination result, written into reused buffers (this runs once per hop). */
type Combined = { deviation: number; snr: number; used: Uint8Array; order: Int32Array }

function combine(
  deviation: Float64Array,
  weight: Float64Array,
  snr: Float64Array,
  out: Combined,
): void {
  const count = deviation.length
  const { used, order } = out
  used.fill(0)
  let total = 0
  let n = 0
  for (let b = 0; b < count; b++) {
    total += weight[b]!
    if (weight[b]! > 0) {
      // Insertion sort of the weighted harmonics by deviation (≤ 6 entries).
      let j = n++
      while (j > 0 && deviation[order[j - 1]!]! > deviation[b]!) {
        order[j] = order[j - 1]!
        j--
      }
      order[j] = b
    }
  }
  if (n === 0) {
    // No harmonic passes: report the strongest one, with its (low) SNR.
    let best = 0
    for (let b = 1; b < count; b++) if (snr[b]! > snr[best]!) best = b
    used[best] = 1
    out.deviation = deviation[best]!
    out.snr = snr[best]!
    return
  }
  // Weighted median, then the weighted mean of the harmonics that agree with it.
  let cumulative = 0
  let centre = deviation[order[0]!]!
  for (let i = 0; i < n; i++) {
    const b = order[i]!
    cumulative += weight[b]!
    if (cumulative >= total / 2) {
      centre = deviation[b]!
      break
    }
  }
  let sum = 0
  let weights = 0
  let snrSum = 0
  for (let i = 0; i < n; i++) {
    const b = order[i]!
    if (Math.abs(deviation[b]! - centre) <= AGREEMENT_HZ) {
      sum += weight[b]! * deviation[b]!
      weights += weight[b]!
      snrSum += snr[b]!
      used[b] = 1
    }
  }
  out.deviation = sum / weights
  out.snr = snrSum
}

function medianFilter(x: Float64Array, length: number): Float64Array {
  const half = Math.floor(length / 2)
  const out = new Float64Array(x.length)
  const buffer: number[] = []
  for (let i = 0; i < x.length; i++) {
    buffer.length = 0
    for (let j = Math.max(0, i - half); j <= Math.min(x.length - 1, i + half); j++)
      buffer.push(x[j]!)
    buffer.sort((a, b) => a - b)
    out[i] = buffer[Math.floor(buffer.length / 2)]!
  }
  return out
}

/** Median of an array (NaN for an empty one). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN
  const sorted = Array.from(values).sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
