/**
 * Argument checks shared by every `FftCore` implementation, so the WASM core
 * and the TypeScript reference reject the same inputs with the same
 * {@link FftInvalidArgumentError} before any work (or any wasm call) happens.
 */
import { FftInvalidArgumentError } from './errors.ts'
import type { FirResampleOptions, StftBandOptions, WindowKind } from './fft-core.ts'

/** Largest accepted FFT size: 2^24 points (128 MiB of f64 input). */
export const MAX_NFFT = 2 ** 24

const WINDOW_KINDS: readonly WindowKind[] = ['hann', 'hamming', 'rect']

/** True for 2, 4, 8, … up to {@link MAX_NFFT}. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && n <= MAX_NFFT && (n & (n - 1)) === 0
}

/** Throws unless `nfft` is a power of two in [2, 2^24]. */
export function assertNfft(nfft: number): void {
  if (!isPowerOfTwo(nfft)) {
    throw new FftInvalidArgumentError(
      `nfft must be a power of two between 2 and ${MAX_NFFT}, got ${nfft}`,
      { meta: { argument: 'nfft', value: nfft } },
    )
  }
}

/** Throws unless `input` is a Float64Array no longer than `nfft`, and `nfft` is valid. */
export function assertRealInput(input: Float64Array, nfft: number): void {
  assertFloat64Array(input, 'input')
  assertNfft(nfft)
  if (input.length > nfft) {
    throw new FftInvalidArgumentError(
      `input has ${input.length} samples, more than nfft = ${nfft}; use a larger nfft or a shorter input`,
      { meta: { argument: 'input', length: input.length, nfft } },
    )
  }
}

/** Throws unless `signal` and `options` describe a valid STFT band request. */
export function assertStftBandOptions(signal: Float64Array, options: StftBandOptions): void {
  assertFloat64Array(signal, 'signal')
  const { frameLength, hop, nfft, window, binLo, binHi } = options
  assertNfft(nfft)
  assertInteger('frameLength', frameLength, 1, nfft, `an integer in [1, nfft = ${nfft}]`)
  assertInteger('hop', hop, 1, Number.MAX_SAFE_INTEGER, 'a positive integer')
  if (!WINDOW_KINDS.includes(window)) {
    throw new FftInvalidArgumentError(
      `window must be one of ${WINDOW_KINDS.join(', ')}, got ${String(window)}`,
      { meta: { argument: 'window', value: String(window) } },
    )
  }
  const half = nfft / 2 + 1
  assertInteger('binLo', binLo, 0, half - 1, `an integer in [0, nfft/2 = ${half - 1}]`)
  assertInteger(
    'binHi',
    binHi,
    binLo + 1,
    half,
    `an integer in (binLo = ${binLo}, nfft/2 + 1 = ${half}]`,
  )
}

/** Largest upsampled signal firResample accepts (signal.length · up), 2^31 − 1 samples. */
export const MAX_RESAMPLE_LENGTH = 2 ** 31 - 1

/** Throws unless `signal` and `options` describe a valid FIR resampling; returns the output length. */
export function assertFirResampleOptions(
  signal: Float64Array,
  options: FirResampleOptions,
): number {
  assertFloat64Array(signal, 'signal')
  assertFloat64Array(options.taps, 'taps')
  const up = options.up ?? 1
  if (options.taps.length === 0) {
    throw new FftInvalidArgumentError('taps must hold at least one coefficient', {
      meta: { argument: 'taps', length: 0 },
    })
  }
  assertInteger('up', up, 1, 65_536, 'an integer in [1, 65536]')
  assertInteger('down', options.down, 1, MAX_RESAMPLE_LENGTH, 'a positive integer')
  if (signal.length * up > MAX_RESAMPLE_LENGTH) {
    throw new FftInvalidArgumentError(
      `signal.length × up = ${signal.length * up} exceeds ${MAX_RESAMPLE_LENGTH}; resample in chunks`,
      { meta: { argument: 'signal', length: signal.length, up } },
    )
  }
  return Math.ceil((signal.length * up) / options.down)
}

/** floor((signalLength − frameLength) / hop) + 1, or 0 when the signal is shorter than a frame. */
export function stftFrameCount(signalLength: number, frameLength: number, hop: number): number {
  return signalLength < frameLength ? 0 : Math.floor((signalLength - frameLength) / hop) + 1
}

function assertFloat64Array(value: unknown, argument: string): void {
  if (!(value instanceof Float64Array)) {
    throw new FftInvalidArgumentError(`${argument} must be a Float64Array`, {
      meta: { argument, type: Object.prototype.toString.call(value) },
    })
  }
}

function assertInteger(argument: string, value: number, min: number, max: number, allowed: string) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FftInvalidArgumentError(`${argument} must be ${allowed}, got ${value}`, {
      meta: { argument, value },
    })
  }
}
