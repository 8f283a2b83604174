import { describe, expect, test } from 'bun:test'
import {
  clippedMeanSigmas,
  meanShiftThreshold,
  residualNoise,
  shiftInflation,
  whiteNoiseSpread,
} from './mean-shift-test.ts'
import { createRandom } from './testing/index.ts'

/** White Gaussian noise of σ `sigma`, `n` steps. */
function gaussian(n: number, sigma: number, seed: number): Float64Array {
  const random = createRandom(seed)
  return Float64Array.from({ length: n }, () => {
    const r = Math.sqrt(-2 * Math.log(random() + 1e-300))
    return sigma * r * Math.cos(2 * Math.PI * random())
  })
}

describe('the mean-shift test', () => {
  test('measures the per-step noise without being pulled by a slow 40 s shift', () => {
    const noise = gaussian(400, 0.002, 3)
    const usable = new Uint8Array(400).fill(1)
    const plain = residualNoise(noise, usable, 20)
    const shifted = Float64Array.from(noise, (x, i) => (i >= 200 && i < 240 ? x + 0.01 : x))
    expect(plain).toBeGreaterThan(0.0017)
    expect(plain).toBeLessThan(0.0023)
    // A 5σ shift over 40 of 400 steps moves only the 40 pairs that straddle its edges.
    expect(residualNoise(shifted, usable, 20)).toBeLessThan(1.25 * plain)
  })

  test('leaves gaps out of the noise estimate and gives NaN with too few pairs', () => {
    const usable = new Uint8Array(25).fill(1)
    expect(residualNoise(gaussian(25, 0.001, 1), usable, 20)).toBeNaN()
  })

  test('clips each step to ±3σ, so a short burst of a wrong peak cannot carry a window', () => {
    const window = Array.from({ length: 30 }, (_, i) => (i < 5 ? 0.08 : 0))
    // Unclipped, five 40σ steps would make the mean 6.7σ; clipped they make 0.5σ.
    expect(clippedMeanSigmas(window, 0.002)).toBeCloseTo(0.5, 10)
    expect(clippedMeanSigmas([], 0.002)).toBeNaN()
    expect(clippedMeanSigmas([0.001], 0)).toBeNaN()
  })

  test('lowers the threshold for longer windows and never inflates below 1', () => {
    expect(meanShiftThreshold(1.5)).toBeCloseTo(1.5, 10)
    expect(meanShiftThreshold(3)).toBeCloseTo(0.92, 2)
    expect(meanShiftThreshold(6)).toBeLessThan(meanShiftThreshold(3))
    const spread = whiteNoiseSpread(1.5)
    expect(shiftInflation([0.01, -0.01, 0.02, 0, 0.01], 1.5)).toBe(1)
    expect(shiftInflation([1, -1, 1, -1, 1, -1], 1.5)).toBeCloseTo(1.4826 / spread, 6)
    expect(shiftInflation([5, 5], 1.5)).toBe(1)
  })
})
