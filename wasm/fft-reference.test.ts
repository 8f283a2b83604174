import { describe, expect, test } from 'bun:test'
import { createReferenceFftCore, makeWindow } from './fft-reference.ts'

function naiveDft(x: Float64Array, nfft: number) {
  const re = new Float64Array(nfft / 2 + 1)
  const im = new Float64Array(nfft / 2 + 1)
  for (let k = 0; k <= nfft / 2; k++) {
    for (let n = 0; n < Math.min(x.length, nfft); n++) {
      re[k]! += x[n]! * Math.cos((2 * Math.PI * k * n) / nfft)
      im[k]! -= x[n]! * Math.sin((2 * Math.PI * k * n) / nfft)
    }
  }
  return { re, im }
}

function randomSignal(length: number, seed: number): Float64Array {
  let s = seed
  const x = new Float64Array(length)
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    x[i] = s / 1073741824 - 1
  }
  return x
}

describe('createReferenceFftCore', () => {
  const core = createReferenceFftCore()

  test('matches a naive DFT for zero-padded real input', () => {
    for (const [length, nfft] of [
      [5, 8],
      [64, 64],
      [100, 256],
    ] as const) {
      const x = randomSignal(length, length)
      const fast = core.rfft(x, nfft)
      const slow = naiveDft(x, nfft)
      for (let k = 0; k <= nfft / 2; k++) {
        expect(fast.re[k]!).toBeCloseTo(slow.re[k]!, 9)
        expect(fast.im[k]!).toBeCloseTo(slow.im[k]!, 9)
      }
    }
  })

  test('returns power spectra equal to |X|²', () => {
    const x = randomSignal(50, 7)
    const { re, im } = core.rfft(x, 64)
    const power = core.powerSpectrum(x, 64)
    for (let k = 0; k <= 32; k++) expect(power[k]!).toBeCloseTo(re[k]! ** 2 + im[k]! ** 2, 9)
  })

  test('computes windowed STFT band power frame by frame', () => {
    const x = randomSignal(300, 3)
    const options = {
      frameLength: 64,
      hop: 40,
      nfft: 256,
      window: 'hann',
      binLo: 10,
      binHi: 30,
    } as const
    const result = core.stftBandPower(x, options)
    expect(result.frames).toBe(Math.floor((300 - 64) / 40) + 1)
    expect(result.bins).toBe(20)
    const w = makeWindow('hann', 64)
    const frame = new Float64Array(64)
    for (let i = 0; i < 64; i++) frame[i] = x[2 * 40 + i]! * w[i]!
    const spectrum = core.powerSpectrum(frame, 256)
    for (let k = 10; k < 30; k++)
      expect(result.power[2 * 20 + k - 10]!).toBeCloseTo(spectrum[k]!, 9)
  })
})
