/**
 * The FFT operations ENF extraction needs, as an interface. The WebAssembly
 * implementation (wasm/fft.ts, the only module that knows the wasm ABI) and
 * the pure-TypeScript reference (wasm/fft-reference.ts, used to test it)
 * both implement it. All inputs and outputs are Float64Array.
 *
 * Conventions (both cores; see wasm/window.ts and wasm/src/lib.rs):
 * - windows are periodic ("DFT-even", as scipy.signal.get_window):
 *   w[n] = a − (1 − a)·cos(2πn/frameLength), a = 0.5 (hann), 0.54 (hamming);
 * - no scaling: X[k] = Σ x[n]·e^(−2πikn/nfft), so a unit cosine on bin k gives |X[k]| = nfft/2;
 * - bad arguments throw FftInvalidArgumentError (code FFT_INVALID_ARGUMENT, `meta.argument`).
 *
 * Added by the wasm branch (beyond the first draft of this interface):
 * - `firResample`: polyphase FIR resampling / decimation, for band-passing and
 *   decimating long recordings before the STFT (design taps with wasm/design-fir.ts).
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

export type FirResampleOptions = {
  /**
   * FIR coefficients, applied at the upsampled rate. Odd-length linear-phase
   * filters line up exactly: output m is centred on input time m·down/up.
   * The DC gain should be `up` to keep amplitudes when interpolating.
   */
  taps: Float64Array
  /** Upsampling factor, an integer ≥ 1 (default 1: plain FIR decimation). */
  up?: number | undefined
  /** Downsampling factor, an integer ≥ 1 (1: filter only). */
  down: number
}

export interface FftCore {
  /** Forward FFT of real input zero-padded to `nfft` (power of two): bins 0..nfft/2 as re/im. */
  rfft(input: Float64Array, nfft: number): { re: Float64Array; im: Float64Array }
  /** |X[k]|² for k = 0..nfft/2 of real input zero-padded to `nfft`. */
  powerSpectrum(input: Float64Array, nfft: number): Float64Array
  /** Windowed, zero-padded STFT returning only the power of bins [binLo, binHi) per frame. */
  stftBandPower(signal: Float64Array, options: StftBandOptions): StftBandPower
  /**
   * Upsample by `up` (zeros between samples), filter with `taps`, keep every
   * `down`-th sample: y[m] = Σ_k taps[k]·x_up[m·down + (taps.length − 1)/2 − k]
   * (integer division; samples outside the signal are 0). Returns
   * ceil(signal.length · up / down) samples; only kept samples are computed.
   */
  firResample(signal: Float64Array, options: FirResampleOptions): Float64Array
}
