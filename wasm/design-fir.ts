/**
 * Windowed-sinc FIR design for `FftCore.firResample`: linear-phase low-pass
 * and band-pass filters of odd length. Design happens once per recording in
 * TypeScript; the filtering itself runs in the WASM core.
 *
 * Rule of thumb for the length L: the transition band is about 3.3·fs/L wide
 * with a Hamming window (≈ −53 dB stop band) and 5.5·fs/L with Blackman
 * (≈ −74 dB), the default because decimation folds the whole stop band in.
 */
import { FftInvalidArgumentError } from './errors.ts'

export type FirWindow = 'hamming' | 'blackman'

export type DesignFirOptions = {
  /** Sample rate the filter runs at, in Hz (for firResample: the upsampled rate). */
  sampleRate: number
  /** Number of taps; odd, so the delay is a whole number of samples. */
  length: number
  /** Taper; default 'blackman'. */
  window?: FirWindow | undefined
  /** Pass-band gain; default 1. Use `up` for taps that interpolate (firResample with up > 1). */
  gain?: number | undefined
}

/** Low-pass filter passing 0..cutoffHz with gain `gain` at DC. */
export function designLowpassFir(options: DesignFirOptions & { cutoffHz: number }): Float64Array {
  const { sampleRate, cutoffHz } = options
  assertDesign(options)
  assertFrequency('cutoffHz', cutoffHz, sampleRate)
  const taps = windowedSinc(options.length, cutoffHz / sampleRate, options.window ?? 'blackman')
  return scaleToGain(taps, 0, options.gain ?? 1)
}

/** Band-pass filter passing lowHz..highHz with gain `gain` at the band's centre. */
export function designBandpassFir(
  options: DesignFirOptions & { lowHz: number; highHz: number },
): Float64Array {
  const { sampleRate, lowHz, highHz } = options
  assertDesign(options)
  assertFrequency('lowHz', lowHz, sampleRate)
  assertFrequency('highHz', highHz, sampleRate)
  if (lowHz >= highHz) {
    throw new FftInvalidArgumentError(`lowHz (${lowHz}) must be below highHz (${highHz})`, {
      meta: { argument: 'lowHz', value: lowHz },
    })
  }
  const window = options.window ?? 'blackman'
  const high = windowedSinc(options.length, highHz / sampleRate, window)
  const low = windowedSinc(options.length, lowHz / sampleRate, window)
  const taps = high.map((h, n) => h - (low[n] as number))
  return scaleToGain(taps, (lowHz + highHz) / 2 / sampleRate, options.gain ?? 1)
}

/** Ideal low-pass impulse response 2f·sinc(2f(n − M)) (f in cycles/sample), tapered. */
function windowedSinc(length: number, f: number, window: FirWindow): Float64Array {
  const middle = (length - 1) / 2
  const taps = new Float64Array(length)
  for (let n = 0; n < length; n++) {
    const x = n - middle
    const sinc = x === 0 ? 2 * f : Math.sin(2 * Math.PI * f * x) / (Math.PI * x)
    const phase = (2 * Math.PI * n) / (length - 1 || 1)
    const w =
      window === 'hamming'
        ? 0.54 - 0.46 * Math.cos(phase)
        : 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase)
    taps[n] = sinc * w
  }
  return taps
}

/** Scales taps so |H(f)| = gain at `f` (cycles/sample). */
function scaleToGain(taps: Float64Array, f: number, gain: number): Float64Array {
  let re = 0
  let im = 0
  for (let n = 0; n < taps.length; n++) {
    re += (taps[n] as number) * Math.cos(2 * Math.PI * f * n)
    im -= (taps[n] as number) * Math.sin(2 * Math.PI * f * n)
  }
  const scale = gain / Math.hypot(re, im)
  return taps.map((h) => h * scale)
}

function assertDesign(options: DesignFirOptions): void {
  const { sampleRate, length } = options
  if (!(Number.isFinite(sampleRate) && sampleRate > 0)) {
    throw new FftInvalidArgumentError(
      `sampleRate must be a positive number of Hz, got ${sampleRate}`,
      {
        meta: { argument: 'sampleRate', value: sampleRate },
      },
    )
  }
  if (!Number.isInteger(length) || length < 3 || length % 2 === 0) {
    throw new FftInvalidArgumentError(`length must be an odd integer ≥ 3, got ${length}`, {
      meta: { argument: 'length', value: length },
    })
  }
}

function assertFrequency(argument: string, hz: number, sampleRate: number): void {
  if (!(Number.isFinite(hz) && hz > 0 && hz < sampleRate / 2)) {
    throw new FftInvalidArgumentError(
      `${argument} must be between 0 and the Nyquist frequency ${sampleRate / 2} Hz, got ${hz}`,
      { meta: { argument, value: hz } },
    )
  }
}
