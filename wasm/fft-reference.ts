/**
 * A pure-TypeScript `FftCore`: a textbook iterative radix-2 FFT. It is the
 * yardstick the WASM core is tested against and a fallback where WebAssembly
 * is unavailable; it is not tuned for speed. {@link naiveDft} is the O(n²)
 * definition both are checked against in tests.
 */
import {
  assertFirResampleOptions,
  assertRealInput,
  assertStftBandOptions,
  stftFrameCount,
} from './fft-arguments.ts'
import type { FftCore, FirResampleOptions, StftBandOptions, StftBandPower } from './fft-core.ts'
import { createWindow } from './window.ts'

/** Creates the reference FFT core (no shared state between instances). */
export function createReferenceFftCore(): FftCore {
  return {
    rfft(input, nfft) {
      assertRealInput(input, nfft)
      return halfSpectrum(input, nfft)
    },
    powerSpectrum(input, nfft) {
      assertRealInput(input, nfft)
      const { re, im } = halfSpectrum(input, nfft)
      return power(re, im, 0, re.length)
    },
    stftBandPower(signal: Float64Array, options: StftBandOptions): StftBandPower {
      assertStftBandOptions(signal, options)
      const { frameLength, hop, nfft, window, binLo, binHi } = options
      const frames = stftFrameCount(signal.length, frameLength, hop)
      const bins = binHi - binLo
      const out = new Float64Array(frames * bins)
      const w = createWindow(window, frameLength)
      const frame = new Float64Array(frameLength)
      for (let f = 0; f < frames; f++) {
        for (let n = 0; n < frameLength; n++) {
          frame[n] = (signal[f * hop + n] as number) * (w[n] as number)
        }
        const { re, im } = halfSpectrum(frame, nfft)
        out.set(power(re, im, binLo, binHi), f * bins)
      }
      return { frames, bins, power: out }
    },
    firResample(signal: Float64Array, options: FirResampleOptions): Float64Array {
      const length = assertFirResampleOptions(signal, options)
      return directFirResample(signal, options.taps, options.up ?? 1, options.down, length)
    },
  }
}

/** firResample by its formula, one tap at a time. */
function directFirResample(
  signal: Float64Array,
  taps: Float64Array,
  up: number,
  down: number,
  length: number,
): Float64Array {
  const out = new Float64Array(length)
  const delay = Math.floor((taps.length - 1) / 2)
  for (let m = 0; m < length; m++) {
    const t = m * down + delay
    let sum = 0
    for (let k = 0; k < taps.length; k++) {
      const i = t - k
      if (i < 0 || i % up !== 0) continue
      const n = i / up
      if (n < signal.length) sum += (taps[k] as number) * (signal[n] as number)
    }
    out[m] = sum
  }
  return out
}

/** The DFT by its definition, bins 0..nfft/2 of `input` zero-padded to `nfft`; O(n²), for tests. */
export function naiveDft(
  input: Float64Array,
  nfft: number,
): { re: Float64Array; im: Float64Array } {
  const half = nfft / 2 + 1
  const re = new Float64Array(half)
  const im = new Float64Array(half)
  for (let k = 0; k < half; k++) {
    let sumRe = 0
    let sumIm = 0
    for (let n = 0; n < input.length; n++) {
      // (k·n) mod nfft keeps the angle small, so cos/sin stay accurate for large n.
      const angle = (-2 * Math.PI * ((k * n) % nfft)) / nfft
      const x = input[n] as number
      sumRe += x * Math.cos(angle)
      sumIm += x * Math.sin(angle)
    }
    re[k] = sumRe
    im[k] = sumIm
  }
  return { re, im }
}

function power(re: Float64Array, im: Float64Array, lo: number, hi: number): Float64Array {
  const out = new Float64Array(hi - lo)
  for (let k = lo; k < hi; k++) {
    const a = re[k] as number
    const b = im[k] as number
    out[k - lo] = a * a + b * b
  }
  return out
}

/** Iterative radix-2 decimation-in-time FFT of real input; returns bins 0..nfft/2. */
function halfSpectrum(input: Float64Array, nfft: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(nfft)
  const im = new Float64Array(nfft)
  const bits = Math.log2(nfft)
  for (let n = 0; n < input.length; n++) re[reverseBits(n, bits)] = input[n] as number
  for (let size = 2; size <= nfft; size *= 2) {
    const halfSize = size / 2
    const step = (-2 * Math.PI) / size
    for (let j = 0; j < halfSize; j++) {
      const wRe = Math.cos(step * j)
      const wIm = Math.sin(step * j)
      for (let start = 0; start < nfft; start += size) {
        const a = start + j
        const b = a + halfSize
        const bRe = re[b] as number
        const bIm = im[b] as number
        const tRe = wRe * bRe - wIm * bIm
        const tIm = wRe * bIm + wIm * bRe
        const aRe = re[a] as number
        const aIm = im[a] as number
        re[a] = aRe + tRe
        im[a] = aIm + tIm
        re[b] = aRe - tRe
        im[b] = aIm - tIm
      }
    }
  }
  return { re: re.slice(0, nfft / 2 + 1), im: im.slice(0, nfft / 2 + 1) }
}

function reverseBits(value: number, bits: number): number {
  let reversed = 0
  let v = value
  for (let i = 0; i < bits; i++) {
    reversed = (reversed << 1) | (v & 1)
    v >>= 1
  }
  return reversed
}
