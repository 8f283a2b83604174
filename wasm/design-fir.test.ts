import { describe, expect, test } from 'bun:test'
import { designBandpassFir, designLowpassFir } from './design-fir.ts'
import { FftInvalidArgumentError } from './errors.ts'

/** |H(f)| of taps at `hz` for a filter running at `sampleRate`. */
function gainAt(taps: Float64Array, hz: number, sampleRate: number): number {
  let re = 0
  let im = 0
  taps.forEach((h, n) => {
    re += h * Math.cos((2 * Math.PI * hz * n) / sampleRate)
    im -= h * Math.sin((2 * Math.PI * hz * n) / sampleRate)
  })
  return Math.hypot(re, im)
}

describe('designLowpassFir', () => {
  test('passes DC with the requested gain and stops well above the cutoff', () => {
    const taps = designLowpassFir({ sampleRate: 1000, cutoffHz: 50, length: 201, gain: 2 })
    expect(taps.length).toBe(201)
    expect(gainAt(taps, 0, 1000)).toBeCloseTo(2, 10)
    expect(gainAt(taps, 20, 1000)).toBeCloseTo(2, 3)
    // Blackman: transition ≈ 5.5·fs/L = 27 Hz, stop band ≈ −74 dB.
    expect(gainAt(taps, 90, 1000)).toBeLessThan(2 * 10 ** (-70 / 20))
  })

  test('is symmetric (linear phase)', () => {
    const taps = designLowpassFir({
      sampleRate: 8000,
      cutoffHz: 450,
      length: 101,
      window: 'hamming',
    })
    for (let n = 0; n < 50; n++) expect(taps[n]).toBeCloseTo(taps[100 - n] as number, 15)
  })
})

describe('designBandpassFir', () => {
  test('passes the band around the mains frequency and stops its neighbourhood', () => {
    const taps = designBandpassFir({ sampleRate: 1000, lowHz: 49, highHz: 51, length: 2751 })
    expect(gainAt(taps, 50, 1000)).toBeCloseTo(1, 10)
    expect(gainAt(taps, 49.6, 1000)).toBeGreaterThan(0.95)
    expect(gainAt(taps, 50.4, 1000)).toBeGreaterThan(0.95)
    for (const hz of [0, 45, 55, 100, 150]) expect(gainAt(taps, hz, 1000)).toBeLessThan(1e-3)
  })

  test('rejects an even length, a band above Nyquist and an inverted band', () => {
    const base = { sampleRate: 1000, length: 101 }
    const attempts = [
      () => designBandpassFir({ ...base, length: 100, lowHz: 40, highHz: 60 }),
      () => designBandpassFir({ ...base, lowHz: 400, highHz: 600 }),
      () => designBandpassFir({ ...base, lowHz: 60, highHz: 40 }),
      () => designLowpassFir({ ...base, sampleRate: 0, cutoffHz: 10 }),
    ]
    for (const attempt of attempts) {
      expect(attempt).toThrow()
      try {
        attempt()
      } catch (error) {
        expect(FftInvalidArgumentError.is(error)).toBe(true)
      }
    }
  })
})
