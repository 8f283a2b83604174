import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InternalError } from '../runtime/index.ts'
import { designBandpassFir, designLowpassFir } from './design-fir.ts'
import { FftWasmUnavailableError } from './errors.ts'
import { loadFftCore, loadFftCoreSync } from './fft.ts'
import { maxAbsDiff, runFftCoreConformance, testSignal } from './fft-core.conformance.ts'
import { createReferenceFftCore } from './fft-reference.ts'
import { trappingFftWasm } from './trapping-wasm-fixture.ts'

runFftCoreConformance('loadFftCore', () => loadFftCore())

describe('loadFftCore', () => {
  const reference = createReferenceFftCore()

  for (const nfft of [2 ** 12, 2 ** 14, 2 ** 16]) {
    test(`agrees with the TypeScript reference at nfft ${nfft}`, async () => {
      const core = await loadFftCore()
      const input = testSignal(nfft - 123, nfft)
      const wasm = core.rfft(input, nfft)
      const ts = reference.rfft(input, nfft)
      // Both are O(ε·log n) accurate; the spectrum's scale is ≈ sqrt(nfft).
      const tolerance = 1e-10 * Math.sqrt(nfft)
      expect(maxAbsDiff(wasm.re, ts.re)).toBeLessThan(tolerance)
      expect(maxAbsDiff(wasm.im, ts.im)).toBeLessThan(tolerance)
    })
  }

  test('matches the reference STFT at ENF sizes (16 s frames at 1 kHz, nfft 65536)', async () => {
    const core = await loadFftCore()
    const signal = testSignal(20_000, 5)
    const options = {
      frameLength: 16_000,
      hop: 1000,
      nfft: 65_536,
      window: 'hann' as const,
      binLo: 3211,
      binHi: 3342,
    }
    const wasm = core.stftBandPower(signal, options)
    const ts = reference.stftBandPower(signal, options)
    expect(wasm.frames).toBe(5)
    expect(maxAbsDiff(wasm.power, ts.power)).toBeLessThan(1e-7)
  })

  test('matches the reference FIR resampler at ENF sizes (1 kHz → 8 Hz, 44.1 kHz → 1 kHz)', async () => {
    const core = await loadFftCore()
    const cases = [
      {
        signal: testSignal(30_000, 21),
        taps: designBandpassFir({ sampleRate: 1000, lowHz: 49, highHz: 51, length: 2001 }),
        up: 1,
        down: 125,
      },
      {
        signal: testSignal(44_100, 22),
        taps: designLowpassFir({ sampleRate: 441_000, cutoffHz: 450, length: 4001, gain: 10 }),
        up: 10,
        down: 441,
      },
    ]
    for (const { signal, taps, up, down } of cases) {
      const wasm = core.firResample(signal, { taps, up, down })
      const ts = reference.firResample(signal, { taps, up, down })
      expect(wasm.length).toBe(ts.length)
      expect(maxAbsDiff(wasm, ts)).toBeLessThan(1e-12)
    }
  })

  test('gives identical results when long inputs are processed in chunks', async () => {
    const whole = await loadFftCore()
    const signal = testSignal(20_000, 31)
    const taps = designBandpassFir({ sampleRate: 1000, lowHz: 45, highHz: 55, length: 301 })
    const stft = {
      frameLength: 1000,
      hop: 250,
      nfft: 2048,
      window: 'hann' as const,
      binLo: 90,
      binHi: 120,
    }
    for (const maxChunkSamples of [1, 999, 1000, 4321]) {
      const chunked = await loadFftCore({ maxChunkSamples })
      for (const [up, down] of [
        [1, 1],
        [1, 125],
        [10, 441],
        [3, 2],
      ] as const) {
        expect(chunked.firResample(signal, { taps, up, down })).toEqual(
          whole.firResample(signal, { taps, up, down }),
        )
      }
      expect(chunked.stftBandPower(signal, stft)).toEqual(whole.stftBandPower(signal, stft))
    }
  })

  test('rejects a maxChunkSamples that is not a positive integer', async () => {
    await expect(loadFftCore({ maxChunkSamples: 0 })).rejects.toMatchObject({
      code: 'FFT_INVALID_ARGUMENT',
    })
  })

  test('keeps results right while its buffers grow and shrink between calls', async () => {
    const core = await loadFftCore()
    for (const nfft of [64, 2 ** 18, 16, 2 ** 15, 8]) {
      const input = testSignal(nfft, nfft + 1)
      const expected = reference.powerSpectrum(input, nfft)
      const actual = core.powerSpectrum(input, nfft)
      expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-6)
    }
  })

  test('returns copies that later calls do not overwrite', async () => {
    const core = await loadFftCore()
    const first = core.powerSpectrum(testSignal(32, 1), 32)
    const saved = first.slice()
    core.powerSpectrum(testSignal(32, 2), 32)
    expect([...first]).toEqual([...saved])
  })

  test('loads synchronously with the same results', async () => {
    const sync = loadFftCoreSync()
    const input = testSignal(900, 11)
    expect([...sync.powerSpectrum(input, 1024)]).toEqual([
      ...(await loadFftCore()).powerSpectrum(input, 1024),
    ])
  })

  test('reports a trap inside the module as an INTERNAL error on every call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-fft-'))
    try {
      const path = join(dir, 'trapping.wasm')
      writeFileSync(path, trappingFftWasm())
      const core = await loadFftCore({ wasmPath: path })
      for (let attempt = 0; attempt < 2; attempt++) {
        let thrown: unknown
        try {
          core.powerSpectrum(testSignal(8), 8)
        } catch (error) {
          thrown = error
        }
        expect(InternalError.is(thrown)).toBe(true)
        expect((thrown as InternalError).shortMessage).toBe(
          'the FFT core trapped during powerSpectrum',
        )
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('fails with FFT_WASM_UNAVAILABLE when the module file is missing or corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-fft-'))
    try {
      const corrupt = join(dir, 'corrupt.wasm')
      writeFileSync(corrupt, 'not wasm')
      await expect(loadFftCore({ wasmPath: join(dir, 'absent.wasm') })).rejects.toMatchObject({
        code: FftWasmUnavailableError.code,
      })
      await expect(loadFftCore({ wasmPath: corrupt })).rejects.toMatchObject({
        code: 'FFT_WASM_UNAVAILABLE',
      })
      expect(() => loadFftCoreSync({ wasmPath: corrupt })).toThrow(/bun run build:wasm/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
