/**
 * ENF extraction: audio in, one grid-frequency estimate (and its SNR) per hop out.
 *
 * Pipeline (docs/enf.md), one module per step group:
 *  1. Resample with an anti-alias filter to a working rate that is an integer
 *     multiple P of the nominal frequency (1 kHz for 50 Hz, 1.2 kHz for 60 Hz;
 *     400 Hz references stay as they are). Here, and decimate.ts.
 *  2. Band-pass around the nominal and every harmonic at once with a harmonic
 *     comb (two cascaded one-pole combs of period P, pole 0.8: teeth ±1.15 Hz
 *     wide (−3 dB, at 50 Hz) at every multiple of the nominal, −38 dB between
 *     teeth). The tooth's known shape is divided out of the spectrum below, so
 *     the noise floor around each line is flat and the peak is not biased.
 *     harmonic-folding.ts (with step 3).
 *  3. Decimate the comb output by D, chosen so that each harmonic h folds to
 *     its own narrow band c_h (for 1 kHz / 50 Hz: D = 19, harmonic h lands at
 *     2.63·h Hz). The comb is the anti-alias filter of this step, so the STFT
 *     runs at ≈ 50 Hz instead of 1 kHz: this is what makes extraction cost
 *     ≈ 1/20 of a full-rate STFT with identical frequency resolution.
 *  4. estimate-frames.ts (steps 4–6): STFT through {@link FftCore.stftBandPower} (Hann, ≥ 4× zero-padding,
 *     20 s frames, 1 s hop), only the bins around the folded harmonics.
 *  5. Per harmonic: argmax inside h·f0 ± 0.1·h Hz (50 Hz grids) or ± 0.05·h Hz
 *     (60 Hz), parabolic interpolation on log power, local SNR (peak over the
 *     mean of the surrounding band without the main lobe).
 *  6. SNR-weighted combination (weight h²·SNR, the inverse variance of the
 *     per-harmonic estimate divided by h) over the harmonics that agree with
 *     the weighted median (combine-harmonics.ts); a 3-step median post-filter.
 *  7. Interpolation of the frame estimates onto the exact hop grid, and
 *     disturbed steps marked (hop-grid.ts).
 */

import { median } from '../../runtime/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { decimate } from './decimate.ts'
import { EnfInvalidParameterError, EnfTooShortError } from './errors.ts'
import { estimateFrames, type FrameEstimates, spectralBands } from './estimate-frames.ts'
import {
  chooseFolding,
  combAndDecimate,
  MIN_NOISE_MARGIN_HZ,
  type Nominal,
  searchHalfWidth,
} from './harmonic-folding.ts'
import { markDisturbed, onHopGrid } from './hop-grid.ts'
import { medianFilter } from './median.ts'
import type { MonoAudio } from './read-wav.ts'

export type { Nominal } from './harmonic-folding.ts'

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

/** Noise margin (Hz) for a frame length: the Hann main lobe is ±2/T, keep ≥ 2 lobe widths of floor. */
function noiseMarginHz(frameSeconds: number): number {
  return Math.max(MIN_NOISE_MARGIN_HZ, 5 / frameSeconds)
}

/** The validated settings of one extraction. */
type Settings = {
  nominal: Nominal
  frameSeconds: number
  hopSeconds: number
  minSnrDb: number
  medianSteps: number
  /** Working rate = period × nominal (Hz). */
  period: number
  workRate: number
  harmonics: number[]
}

/** Checks the options against the audio; throws ENF_INVALID_PARAMETER or ENF_TOO_SHORT. */
function settingsFor(audio: MonoAudio, options: ExtractEnfOptions): Settings {
  const { nominal } = options
  if (nominal !== 50 && nominal !== 60) {
    throw new EnfInvalidParameterError(
      `The nominal grid frequency must be 50 or 60 Hz, got ${String(nominal)}`,
    )
  }
  const frameSeconds = options.frameSeconds ?? 20
  const hopSeconds = options.hopSeconds ?? 1
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
  const minSnrDb = options.minSnrDb ?? 15
  const medianSteps = options.medianSteps ?? 3
  return { nominal, frameSeconds, hopSeconds, minSnrDb, medianSteps, period, workRate, harmonics }
}

/** Step 1: the audio at the working rate (anti-aliased; unchanged when already there). */
function toWorkingRate(audio: MonoAudio, settings: Settings, core: FftCore): Float64Array {
  const { workRate, nominal } = settings
  if (audio.sampleRate === workRate) return audio.samples
  const maxHarmonic = Math.max(...settings.harmonics)
  return decimate(audio.samples, audio.sampleRate, workRate, {
    passbandHz: Math.min(maxHarmonic * nominal + 5, workRate / 2 - 1),
    core,
  })
}

/** How often each harmonic contributed and its median SNR. */
function harmonicsSummary(
  harmonics: readonly number[],
  estimates: FrameEstimates,
): EnfSeries['harmonics'] {
  return harmonics.map((harmonic, b) => {
    const used = estimates.perHarmonicUsed[b]!
    let count = 0
    for (let f = 0; f < used.length; f++) count += used[f]!
    return {
      harmonic,
      usedFraction: count / used.length,
      medianSnrDb: 10 * Math.log10(median(estimates.perHarmonicSnr[b]!)),
    }
  })
}

/** Extracts the ENF series of mono audio. */
export function extractEnf(audio: MonoAudio, options: ExtractEnfOptions): EnfSeries {
  const settings = settingsFor(audio, options)
  const { nominal, frameSeconds, hopSeconds } = settings
  const working = toWorkingRate(audio, settings, options.core)
  // Steps 2–3: comb and fold.
  const noiseMargin = noiseMarginHz(frameSeconds)
  const fold = chooseFolding(nominal, settings.period, settings.harmonics, noiseMargin)
  const folded = combAndDecimate(working, settings.period, fold.decimation)
  const rate = settings.workRate / fold.decimation
  // Steps 4–6: STFT, per-harmonic peaks, combination, median post-filter.
  const frameLength = Math.round(frameSeconds * rate)
  const hop = Math.max(1, Math.round(hopSeconds * rate))
  let nfft = 1
  while (nfft < 4 * frameLength) nfft *= 2
  const binHz = rate / nfft
  const totalFrames =
    folded.length >= frameLength ? Math.floor((folded.length - frameLength) / hop) + 1 : 0
  if (totalFrames < 2) {
    throw new EnfTooShortError('The audio is too short for two ENF frames', {
      meta: { seconds: audio.samples.length / audio.sampleRate, frameSeconds },
    })
  }
  const bands = spectralBands(fold.bands, binHz, noiseMargin, nominal)
  const layout = { frameLength, hop, nfft, binHz, totalFrames }
  const estimates = estimateFrames(folded, layout, bands, { core: options.core, nominal })
  const smoothed =
    settings.medianSteps > 1
      ? medianFilter(estimates.frequency, settings.medianSteps)
      : estimates.frequency
  // Step 7: the hop grid, disturbed steps marked.
  const grid = onHopGrid(smoothed, estimates.snr, {
    frameLength,
    hop,
    rate,
    totalFrames,
    hopSeconds,
  })
  const { disturbed, valid } = markDisturbed(
    working,
    settings.workRate,
    { startSeconds: grid.startSeconds, hopSeconds, frameSeconds, snrDb: grid.snrDb },
    settings.minSnrDb,
  )
  return {
    nominal,
    startSeconds: grid.startSeconds,
    hopSeconds,
    frequency: grid.frequency,
    snrDb: grid.snrDb,
    valid,
    disturbed,
    frameSeconds,
    harmonics: harmonicsSummary(
      bands.map((band) => band.harmonic),
      estimates,
    ),
  }
}
