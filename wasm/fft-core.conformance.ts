/**
 * The behaviour every `FftCore` must have, checked against the DFT's
 * definition ({@link naiveDft}). Each implementation's test calls
 * {@link runFftCoreConformance} with its own factory.
 */
import { describe, expect, test } from 'bun:test'
import { designLowpassFir } from './design-fir.ts'
import { FftInvalidArgumentError } from './errors.ts'
import type { FftCore, StftBandOptions, WindowKind } from './fft-core.ts'
import { naiveDft } from './fft-reference.ts'
import { createWindow } from './window.ts'

/** A deterministic pseudo-random signal in [−1, 1) (xorshift), so failures reproduce. */
export function testSignal(length: number, seed = 1): Float64Array {
  const out = new Float64Array(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    out[i] = state / 2 ** 31 - 1
  }
  return out
}

/** Largest |a − b| over two equally long arrays. */
export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
  return max
}

function sumAbs(x: Float64Array): number {
  let sum = 0
  for (const v of x) sum += Math.abs(v)
  return sum
}

function expectInvalidArgument(run: () => unknown, argument: string): void {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(FftInvalidArgumentError.is(thrown)).toBe(true)
  const error = thrown as FftInvalidArgumentError
  expect(error.code).toBe('FFT_INVALID_ARGUMENT')
  expect(error.meta?.argument).toBe(argument)
}

/** Runs the shared FftCore behaviour tests against the core `create` returns. */
export function runFftCoreConformance(name: string, create: () => FftCore | Promise<FftCore>) {
  describe(`${name} (FftCore conformance)`, () => {
    // [input length, nfft]: power-of-two inputs, shorter inputs zero-padded, odd lengths.
    const sizes: [number, number][] = [
      [2, 2],
      [8, 8],
      [5, 16],
      [100, 128],
      [1000, 1024],
      [1024, 1024],
      [3001, 4096],
    ]
    for (const [length, nfft] of sizes) {
      test(`computes the DFT of ${length} samples zero-padded to ${nfft}`, async () => {
        const core = await create()
        const input = testSignal(length, length)
        const { re, im } = core.rfft(input, nfft)
        const expected = naiveDft(input, nfft)
        // Round-off grows with log2(nfft) and the input's magnitude; 1e-12 relative is far below
        // what a wrong twiddle, bin or padding would cause (errors of order sum|x|).
        const tolerance = 1e-12 * sumAbs(input) * Math.log2(nfft + 1)
        expect(maxAbsDiff(re, expected.re)).toBeLessThan(tolerance)
        expect(maxAbsDiff(im, expected.im)).toBeLessThan(tolerance)
      })
    }

    test('returns |X[k]|² of the rfft as the power spectrum', async () => {
      const core = await create()
      const input = testSignal(700, 7)
      const { re, im } = core.rfft(input, 1024)
      const power = core.powerSpectrum(input, 1024)
      expect(power.length).toBe(513)
      const expected = re.map((r, k) => r * r + (im[k] as number) ** 2)
      expect(maxAbsDiff(power, expected)).toBeLessThan(1e-9)
    })

    test('puts a pure tone on its bin with amplitude N/2', async () => {
      const core = await create()
      const nfft = 4096
      const input = new Float64Array(nfft).map((_, n) => Math.cos((2 * Math.PI * 300 * n) / nfft))
      const power = core.powerSpectrum(input, nfft)
      let peak = 0
      for (let k = 1; k < power.length; k++)
        if ((power[k] as number) > (power[peak] as number)) peak = k
      expect(peak).toBe(300)
      expect(Math.sqrt(power[300] as number)).toBeCloseTo(nfft / 2, 6)
    })

    test('accepts empty input as all-zero', async () => {
      const core = await create()
      const power = core.powerSpectrum(new Float64Array(0), 8)
      expect([...power]).toEqual([0, 0, 0, 0, 0])
    })

    const windows: WindowKind[] = ['hann', 'hamming', 'rect']
    for (const window of windows) {
      test(`returns the ${window}-windowed band power of every frame`, async () => {
        const core = await create()
        const signal = testSignal(1000, 3)
        const options: StftBandOptions = {
          frameLength: 200,
          hop: 75,
          nfft: 256,
          window,
          binLo: 10,
          binHi: 40,
        }
        const result = core.stftBandPower(signal, options)
        // floor((1000 − 200) / 75) + 1 = 11
        expect(result.frames).toBe(11)
        expect(result.bins).toBe(30)
        expect(result.power.length).toBe(11 * 30)
        const w = createWindow(window, 200)
        for (const f of [0, 5, 10]) {
          const frame = signal.slice(f * 75, f * 75 + 200).map((x, n) => x * (w[n] as number))
          const { re, im } = naiveDft(frame, 256)
          const expected = new Float64Array(30).map(
            (_, i) => (re[10 + i] as number) ** 2 + (im[10 + i] as number) ** 2,
          )
          const row = result.power.subarray(f * 30, (f + 1) * 30)
          expect(maxAbsDiff(row, expected)).toBeLessThan(1e-9)
        }
      })
    }

    test('returns the full half spectrum when binLo is 0 and binHi is nfft/2 + 1', async () => {
      const core = await create()
      const signal = testSignal(512, 9)
      const result = core.stftBandPower(signal, {
        frameLength: 512,
        hop: 1,
        nfft: 512,
        window: 'rect',
        binLo: 0,
        binHi: 257,
      })
      expect(result.frames).toBe(1)
      expect(maxAbsDiff(result.power, core.powerSpectrum(signal, 512))).toBeLessThan(1e-9)
    })

    test('counts frames as floor((length − frameLength) / hop) + 1, or 0 when too short', async () => {
      const core = await create()
      const base = { nfft: 64, window: 'hann' as const, binLo: 2, binHi: 5 }
      const cases: [number, number, number, number][] = [
        // [signal length, frameLength, hop, frames]
        [63, 64, 16, 0],
        [64, 64, 16, 1],
        [79, 64, 16, 1],
        [80, 64, 16, 2],
        [1000, 50, 1, 951],
        [0, 10, 5, 0],
      ]
      for (const [length, frameLength, hop, frames] of cases) {
        const result = core.stftBandPower(testSignal(length), { ...base, frameLength, hop })
        expect({ length, frames: result.frames, size: result.power.length }).toEqual({
          length,
          frames,
          size: frames * 3,
        })
      }
    })

    test('rejects an nfft that is not a power of two', async () => {
      const core = await create()
      expectInvalidArgument(() => core.rfft(testSignal(10), 1000), 'nfft')
      expectInvalidArgument(() => core.powerSpectrum(testSignal(1), 1), 'nfft')
      expectInvalidArgument(() => core.rfft(testSignal(1), 2 ** 25), 'nfft')
      expectInvalidArgument(() => core.rfft(testSignal(1), 64.5), 'nfft')
    })

    test('rejects input longer than nfft', async () => {
      const core = await create()
      expectInvalidArgument(() => core.rfft(testSignal(65), 64), 'input')
    })

    test('rejects input that is not a Float64Array', async () => {
      const core = await create()
      expectInvalidArgument(() => core.rfft([1, 2, 3] as unknown as Float64Array, 4), 'input')
      expectInvalidArgument(
        () =>
          core.stftBandPower(new Float32Array(8) as unknown as Float64Array, {
            frameLength: 4,
            hop: 1,
            nfft: 4,
            window: 'hann',
            binLo: 0,
            binHi: 3,
          }),
        'signal',
      )
    })

    test('filters with a centred unit impulse as the identity', async () => {
      const core = await create()
      const signal = testSignal(100, 4)
      const out = core.firResample(signal, { taps: new Float64Array([0, 1, 0]), down: 1 })
      expect([...out]).toEqual([...signal])
    })

    test('averages neighbours with a 3-tap moving average, zero outside the signal', async () => {
      const core = await create()
      const signal = new Float64Array([3, 6, 9, 12])
      const out = core.firResample(signal, {
        taps: new Float64Array([1, 1, 1]).fill(1 / 3),
        down: 1,
      })
      const expected = [3, 6, 9, 7]
      for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(expected[i] as number, 12)
    })

    test('keeps every down-th sample, aligned on the filter centre', async () => {
      const core = await create()
      const signal = testSignal(20, 8)
      const out = core.firResample(signal, { taps: new Float64Array([0, 0, 1, 0, 0]), down: 3 })
      // ceil(20 / 3) = 7 samples: x[0], x[3], …, x[18]
      expect([...out]).toEqual([0, 3, 6, 9, 12, 15, 18].map((i) => signal[i] as number))
    })

    test('returns ceil(length · up / down) samples', async () => {
      const core = await create()
      const taps = new Float64Array([0.25, 0.5, 0.25])
      const cases: [number, number, number, number][] = [
        // [length, up, down, output length]
        [1000, 1, 125, 8],
        [1001, 1, 125, 9],
        [441, 10, 441, 10],
        [7, 3, 2, 11],
        [0, 1, 4, 0],
      ]
      for (const [length, up, down, expected] of cases) {
        expect(core.firResample(testSignal(length), { taps, up, down }).length).toBe(expected)
      }
    })

    test('decimates a low tone keeping its amplitude and frequency', async () => {
      const core = await create()
      // 3 Hz at 1 kHz, low-passed at 20 Hz and decimated by 10 to 100 Hz.
      const signal = new Float64Array(4000).map((_, n) => Math.cos((2 * Math.PI * 3 * n) / 1000))
      const taps = designLowpassFir({ sampleRate: 1000, cutoffHz: 20, length: 401 })
      const out = core.firResample(signal, { taps, down: 10 })
      expect(out.length).toBe(400)
      // Away from the edges (filter half-length 200 input samples = 20 output samples).
      for (let m = 30; m < 370; m += 17) {
        expect(out[m]).toBeCloseTo(Math.cos((2 * Math.PI * 3 * m) / 100), 3)
      }
    })

    test('interpolates by up with taps of gain up', async () => {
      const core = await create()
      const signal = new Float64Array(400).map((_, n) => Math.sin((2 * Math.PI * 5 * n) / 100))
      const taps = designLowpassFir({ sampleRate: 300, cutoffHz: 40, length: 301, gain: 3 })
      const out = core.firResample(signal, { taps, up: 3, down: 2 })
      expect(out.length).toBe(600)
      // Output rate 150 Hz.
      for (let m = 100; m < 500; m += 13) {
        expect(out[m]).toBeCloseTo(Math.sin((2 * Math.PI * 5 * m) / 150), 3)
      }
    })

    test('rejects resampling options out of range', async () => {
      const core = await create()
      const signal = testSignal(64)
      const taps = new Float64Array([1])
      expectInvalidArgument(
        () => core.firResample(signal, { taps: new Float64Array(0), down: 2 }),
        'taps',
      )
      expectInvalidArgument(() => core.firResample(signal, { taps, down: 0 }), 'down')
      expectInvalidArgument(() => core.firResample(signal, { taps, up: 1.5, down: 2 }), 'up')
      expectInvalidArgument(() => core.firResample(signal, { taps, up: 0, down: 2 }), 'up')
      expectInvalidArgument(
        () => core.firResample(signal, { taps: [1] as unknown as Float64Array, down: 2 }),
        'taps',
      )
      expectInvalidArgument(
        () => core.firResample([1, 2] as unknown as Float64Array, { taps, down: 2 }),
        'signal',
      )
    })

    test('rejects STFT options out of range', async () => {
      const core = await create()
      const signal = testSignal(256)
      const good: StftBandOptions = {
        frameLength: 64,
        hop: 16,
        nfft: 64,
        window: 'hann',
        binLo: 0,
        binHi: 33,
      }
      expect(core.stftBandPower(signal, good).frames).toBe(13)
      const bad: [Partial<StftBandOptions>, string][] = [
        [{ binHi: 34 }, 'binHi'],
        [{ binLo: 5, binHi: 5 }, 'binHi'],
        [{ binLo: 33 }, 'binLo'],
        [{ binLo: -1 }, 'binLo'],
        [{ frameLength: 65 }, 'frameLength'],
        [{ frameLength: 0 }, 'frameLength'],
        [{ hop: 0 }, 'hop'],
        [{ hop: 1.5 }, 'hop'],
        [{ nfft: 48 }, 'nfft'],
        [{ window: 'blackman' as WindowKind }, 'window'],
      ]
      for (const [change, argument] of bad) {
        expectInvalidArgument(() => core.stftBandPower(signal, { ...good, ...change }), argument)
      }
    })
  })
}
