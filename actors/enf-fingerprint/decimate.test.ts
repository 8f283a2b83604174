import { describe, expect, test } from 'bun:test'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { decimate } from './decimate.ts'
import { EnfInvalidParameterError } from './errors.ts'

function tone(rate: number, seconds: number, hz: number): Float64Array {
  return Float64Array.from({ length: rate * seconds }, (_, i) =>
    Math.sin((2 * Math.PI * hz * i) / rate),
  )
}

/** Amplitude of the `hz` component over the middle of the signal (edges carry filter transients). */
function amplitudeAt(x: Float64Array, rate: number, hz: number): number {
  let re = 0
  let im = 0
  const from = Math.floor(x.length / 4)
  const to = Math.floor((3 * x.length) / 4)
  for (let i = from; i < to; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate)
    im += x[i]! * Math.sin((2 * Math.PI * hz * i) / rate)
  }
  return (2 * Math.hypot(re, im)) / (to - from)
}

describe('decimate', () => {
  test('keeps a passband tone at its amplitude and phase when going 8 kHz → 1 kHz', () => {
    const x = tone(8000, 4, 100)
    const y = decimate(x, 8000, 1000, { passbandHz: 320 })
    expect(y.length).toBe(4000)
    expect(amplitudeAt(y, 1000, 100)).toBeCloseTo(1, 2)
    // Zero phase: the delay is compensated, sample i of y is sample 8i of x.
    for (const i of [1000, 2000, 3000]) expect(y[i]!).toBeCloseTo(x[8 * i]!, 2)
  })

  test('suppresses a tone that would alias into the passband by ≥ 60 dB', () => {
    const y = decimate(tone(8000, 4, 700), 8000, 1000, { passbandHz: 320 })
    expect(amplitudeAt(y, 1000, 300)).toBeLessThan(1e-3)
  })

  test('resamples 44.1 kHz to 1.2 kHz by a rational ratio', () => {
    const y = decimate(tone(44100, 2, 120), 44100, 1200, { passbandHz: 365 })
    expect(y.length).toBe(2400)
    expect(amplitudeAt(y, 1200, 120)).toBeCloseTo(1, 2)
  })

  test('rejects a passband above the output Nyquist frequency', () => {
    expect(() => decimate(new Float64Array(10), 8000, 400, { passbandHz: 300 })).toThrow(
      EnfInvalidParameterError,
    )
  })
})

describe('decimate through the WASM core', () => {
  test('gives the same samples as the TypeScript polyphase filter', () => {
    const core = loadFftCoreSync()
    const x = tone(44100, 2, 120).map((v, i) => v + 0.3 * Math.sin(i * 0.9))
    const viaCore = decimate(x, 44100, 1200, { passbandHz: 365, core })
    const viaTs = decimate(x, 44100, 1200, { passbandHz: 365 })
    expect(viaCore.length).toBe(viaTs.length)
    let maxDiff = 0
    for (let i = 0; i < viaTs.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(viaCore[i]! - viaTs[i]!))
    expect(maxDiff).toBeLessThan(1e-9)
  })
})
