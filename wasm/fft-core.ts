/**
 * The FFT operations ENF extraction needs, as an interface. The WebAssembly
 * implementation (wasm/fft.ts, the only module that knows the wasm ABI) and
 * the pure-TypeScript reference (wasm/fft-reference.ts, used to test it)
 * both implement it. All inputs and outputs are Float64Array.
 */
export type WindowKind = 'hann' | 'hamming' | 'rect'

export type StftBandOptions = {
  /** Samples per frame. */
  frameLength: number
  /** Samples between frame starts. */
  hop: number
  /** FFT size, a power of two ≥ frameLength (frames are zero-padded). */
  nfft: number
  window: WindowKind
  /** First bin returned (inclusive). */
  binLo: number
  /** Last bin returned (exclusive), ≤ nfft/2 + 1. */
  binHi: number
}

export type StftBandPower = {
  /** Number of frames: floor((signal.length − frameLength) / hop) + 1, or 0. */
  frames: number
  /** binHi − binLo. */
  bins: number
  /** frames × bins, row-major: power |X[k]|² of frame f at power[f·bins + (k − binLo)]. */
  power: Float64Array
}

export interface FftCore {
  /** Forward FFT of real input zero-padded to `nfft` (power of two): bins 0..nfft/2 as re/im. */
  rfft(input: Float64Array, nfft: number): { re: Float64Array; im: Float64Array }
  /** |X[k]|² for k = 0..nfft/2 of real input zero-padded to `nfft`. */
  powerSpectrum(input: Float64Array, nfft: number): Float64Array
  /** Windowed, zero-padded STFT returning only the power of bins [binLo, binHi) per frame. */
  stftBandPower(signal: Float64Array, options: StftBandOptions): StftBandPower
}
