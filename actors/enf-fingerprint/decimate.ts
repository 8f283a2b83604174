/**
 * Anti-alias resampling to the rate ENF extraction works at. A rational
 * polyphase FIR resampler (Blackman-windowed sinc, zero-phase: the filter
 * delay is compensated) that computes only the output samples; large ratios
 * run in two stages (an integer decimation with a wide transition band, then
 * the exact rational step), which is where the cost of 44.1/48 kHz input goes.
 */
import type { FftCore } from '../../wasm/index.ts'
import { EnfInvalidParameterError } from './errors.ts'

export type DecimateOptions = {
  /** Highest frequency that must survive undistorted (Hz); sets the filters' passband. */
  passbandHz: number
  /** Runs the FIR in the core's `firResample` (WASM SIMD) when given; else in TypeScript. */
  core?: FftCore | undefined
}

/** Resamples `signal` from `fromRate` to `toRate` (integer Hz), keeping [0, passbandHz]. */
export function decimate(
  signal: Float64Array,
  fromRate: number,
  toRate: number,
  options: DecimateOptions,
): Float64Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate < 1 || toRate < 1) {
    throw new EnfInvalidParameterError(
      `Sample rates must be positive integers (${fromRate} → ${toRate} Hz)`,
    )
  }
  const pass = options.passbandHz
  if (!(pass > 0 && pass < Math.min(fromRate, toRate) / 2)) {
    throw new EnfInvalidParameterError(
      `The passband (${pass} Hz) must lie below half of both rates (${fromRate} → ${toRate} Hz)`,
    )
  }
  if (fromRate === toRate) return signal
  const g = gcd(fromRate, toRate)
  const up = toRate / g
  const down = fromRate / g
  // Two stages when the ratio is large: an integer pre-decimation to ≥ 2× the target.
  if (up === 1 || down / up > 4) {
    let best = 1
    for (let d = 2; d < down; d++) {
      if (down % d === 0 && fromRate / d >= 2 * toRate && fromRate / d - pass > pass) best = d
    }
    if (best > 1 && best < down) {
      const mid = resampleRational(signal, fromRate, 1, best, pass, options.core)
      return decimate(mid, fromRate / best, toRate, options)
    }
  }
  return resampleRational(signal, fromRate, up, down, pass, options.core)
}

function resampleRational(
  x: Float64Array,
  fromRate: number,
  up: number,
  down: number,
  pass: number,
  core: FftCore | undefined,
): Float64Array {
  const toRate = (fromRate * up) / down
  // Aliases (down-sampling) and images (up-sampling) must not land in [0, pass].
  const stop = Math.min(toRate, fromRate) - pass
  const highRate = fromRate * up
  const transition = stop - pass
  const cutoff = (pass + stop) / 2
  // Blackman: ≈ 75 dB stopband with a transition of 5.5 / N of the (upsampled) rate.
  let taps = Math.ceil((5.5 * highRate) / transition)
  // Odd length: the centre tap sits on a sample, so the delay compensation is exact.
  if (taps % 2 === 0) taps += 1
  const centre = (taps - 1) / 2
  const h = new Float64Array(taps)
  const fc = cutoff / highRate
  for (let i = 0; i < taps; i++) {
    const t = i - centre
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t)
    const w =
      0.42 -
      0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) +
      0.08 * Math.cos((4 * Math.PI * i) / (taps - 1))
    h[i] = sinc * w * up
  }
  const outLength = Math.floor((x.length * up) / down)
  if (core) return core.firResample(x, { taps: h, up, down }).subarray(0, outLength)
  // Polyphase layout: phase p holds h[p], h[p + up], h[p + 2·up], …
  const perPhase = Math.ceil(taps / up)
  const phases = new Float64Array(up * perPhase)
  for (let p = 0; p < up; p++) {
    for (let j = 0; j < perPhase; j++) phases[p * perPhase + j] = h[p + j * up] ?? 0
  }
  const y = new Float64Array(outLength)
  const n = x.length
  for (let m = 0; m < outLength; m++) {
    const t = m * down + centre
    const p = t % up
    const i0 = (t - p) / up
    const base = p * perPhase
    let acc = 0
    if (i0 < n && i0 - perPhase + 1 >= 0) {
      for (let j = 0; j < perPhase; j++) acc += phases[base + j]! * x[i0 - j]!
    } else {
      for (let j = 0; j < perPhase; j++) {
        const i = i0 - j
        if (i >= 0 && i < n) acc += phases[base + j]! * x[i]!
      }
    }
    y[m] = acc
  }
  return y
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}
