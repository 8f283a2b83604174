/**
 * Pure-TypeScript reference implementation of {@link FftCore}: an iterative
 * radix-2 complex FFT with cached twiddles, real input packed into a half-size
 * complex FFT. It is the stopgap until the WebAssembly core lands, and the
 * oracle its tests compare against.
 */
import type { FftCore, StftBandOptions, StftBandPower, WindowKind } from './fft-core.ts'

type Plan = {
  /** Complex size n = nfft / 2. */
  n: number
  bitReverse: Uint32Array
  cos: Float64Array
  sin: Float64Array
  /** Real-split twiddles e^{-2πik/nfft}, k = 0..n. */
  splitCos: Float64Array
  splitSin: Float64Array
  re: Float64Array
  im: Float64Array
}

const plans = new Map<number, Plan>()

function planFor(nfft: number): Plan {
  const cached = plans.get(nfft)
  if (cached) return cached
  if (!Number.isInteger(nfft) || nfft < 2 || (nfft & (nfft - 1)) !== 0) {
    throw new RangeError(`nfft must be a power of two ≥ 2, got ${nfft}`)
  }
  const n = nfft / 2
  const bits = Math.round(Math.log2(n))
  const bitReverse = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    let r = 0
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b)
    bitReverse[i] = r
  }
  const cos = new Float64Array(Math.max(1, n / 2))
  const sin = new Float64Array(Math.max(1, n / 2))
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n)
    sin[k] = -Math.sin((2 * Math.PI * k) / n)
  }
  const splitCos = new Float64Array(n + 1)
  const splitSin = new Float64Array(n + 1)
  for (let k = 0; k <= n; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / nfft)
    splitSin[k] = -Math.sin((2 * Math.PI * k) / nfft)
  }
  const plan: Plan = {
    n,
    bitReverse,
    cos,
    sin,
    splitCos,
    splitSin,
    re: new Float64Array(n),
    im: new Float64Array(n),
  }
  plans.set(nfft, plan)
  return plan
}

/** In-place complex FFT of plan.re/plan.im (already in bit-reversed order). */
function complexFft(plan: Plan): void {
  const { n, cos, sin, re, im } = plan
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2
    const step = n / size
    for (let start = 0; start < n; start += size) {
      for (let j = 0, t = 0; j < half; j++, t += step) {
        const wr = cos[t]!
        const wi = sin[t]!
        const a = start + j
        const b = a + half
        const xr = re[b]! * wr - im[b]! * wi
        const xi = re[b]! * wi + im[b]! * wr
        re[b] = re[a]! - xr
        im[b] = im[a]! - xi
        re[a] = re[a]! + xr
        im[a] = im[a]! + xi
      }
    }
  }
}

/** Real FFT of `input` (zero-padded/truncated to nfft) into out re/im of length nfft/2 + 1. */
function realFft(
  input: Float64Array,
  inputOffset: number,
  inputLength: number,
  weights: Float64Array | undefined,
  nfft: number,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  const plan = planFor(nfft)
  const { n, bitReverse, re, im, splitCos, splitSin } = plan
  const length = Math.min(inputLength, nfft)
  // Pack x[2m] + i·x[2m+1] into bit-reversed positions.
  for (let m = 0; m < n; m++) {
    const i0 = 2 * m
    const i1 = i0 + 1
    const r = bitReverse[m]!
    const w0 = weights ? (weights[i0] ?? 0) : 1
    const w1 = weights ? (weights[i1] ?? 0) : 1
    re[r] = i0 < length ? input[inputOffset + i0]! * w0 : 0
    im[r] = i1 < length ? input[inputOffset + i1]! * w1 : 0
  }
  complexFft(plan)
  // Split: X[k] = E[k] + W^k O[k], with E, O recovered from Z[k] and conj(Z[n−k]).
  for (let k = 0; k <= n; k++) {
    const zr = re[k % n]!
    const zi = im[k % n]!
    const cr = re[(n - k) % n]!
    const ci = -im[(n - k) % n]!
    const er = 0.5 * (zr + cr)
    const ei = 0.5 * (zi + ci)
    const orr = 0.5 * (zi - ci)
    const oi = -0.5 * (zr - cr)
    const wr = splitCos[k]!
    const wi = splitSin[k]!
    outRe[k] = er + orr * wr - oi * wi
    outIm[k] = ei + orr * wi + oi * wr
  }
}

/** Window of `length` samples (symmetric Hann/Hamming, as numpy/scipy `sym=True`). */
export function makeWindow(kind: WindowKind, length: number): Float64Array {
  const w = new Float64Array(length)
  if (kind === 'rect' || length === 1) return w.fill(1)
  const a0 = kind === 'hann' ? 0.5 : 0.54
  for (let i = 0; i < length; i++) w[i] = a0 - (1 - a0) * Math.cos((2 * Math.PI * i) / (length - 1))
  return w
}

/** Creates the pure-TypeScript FFT core. */
export function createReferenceFftCore(): FftCore {
  return {
    rfft(input, nfft) {
      const re = new Float64Array(nfft / 2 + 1)
      const im = new Float64Array(nfft / 2 + 1)
      realFft(input, 0, input.length, undefined, nfft, re, im)
      return { re, im }
    },
    powerSpectrum(input, nfft) {
      const re = new Float64Array(nfft / 2 + 1)
      const im = new Float64Array(nfft / 2 + 1)
      realFft(input, 0, input.length, undefined, nfft, re, im)
      const power = new Float64Array(nfft / 2 + 1)
      for (let k = 0; k < power.length; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!
      return power
    },
    stftBandPower(signal: Float64Array, options: StftBandOptions): StftBandPower {
      const { frameLength, hop, nfft, binLo, binHi } = options
      if (frameLength > nfft) throw new RangeError('frameLength must be ≤ nfft')
      if (binLo < 0 || binHi > nfft / 2 + 1 || binHi < binLo) throw new RangeError('bad bin range')
      const frames =
        signal.length >= frameLength ? Math.floor((signal.length - frameLength) / hop) + 1 : 0
      const bins = binHi - binLo
      const power = new Float64Array(frames * bins)
      const window = makeWindow(options.window, frameLength)
      const re = new Float64Array(nfft / 2 + 1)
      const im = new Float64Array(nfft / 2 + 1)
      for (let f = 0; f < frames; f++) {
        realFft(signal, f * hop, frameLength, window, nfft, re, im)
        const row = f * bins
        for (let k = binLo; k < binHi; k++)
          power[row + k - binLo] = re[k]! * re[k]! + im[k]! * im[k]!
      }
      return { frames, bins, power }
    },
  }
}
