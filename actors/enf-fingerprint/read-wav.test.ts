import { describe, expect, test } from 'bun:test'
import { EnfNotWavError, EnfUnsupportedFormatError } from './errors.ts'
import { isWav, readWav } from './read-wav.ts'
import { loadEnfFixture } from './testing/index.ts'
import { writeWav } from './write-wav.ts'

const ramp = Float64Array.from({ length: 100 }, (_, i) => (i - 50) / 64)

describe('readWav', () => {
  for (const encoding of ['pcm16', 'pcm24', 'float32', 'float64'] as const) {
    test(`reads ${encoding} samples back within quantisation`, () => {
      const wav = readWav(writeWav(ramp, { sampleRate: 1000, encoding }))
      expect(wav.sampleRate).toBe(1000)
      expect(wav.samples.length).toBe(100)
      const tolerance = encoding === 'pcm16' ? 1e-4 : 1e-6
      for (let i = 0; i < 100; i++)
        expect(Math.abs(wav.samples[i]! - ramp[i]!)).toBeLessThan(tolerance)
    })
  }

  test('mixes multichannel audio down to mono', () => {
    const bytes = writeWav(ramp, { sampleRate: 8000, channels: 2 })
    // Make the right channel the negative of the left: the mono mix is silence.
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < 100; i++)
      view.setInt16(44 + i * 4 + 2, -view.getInt16(44 + i * 4, true), true)
    const wav = readWav(bytes)
    expect(wav.channels).toBe(2)
    expect(Math.max(...wav.samples.map(Math.abs))).toBeLessThan(1e-4)
  })

  test('reads the 64-bit float ENFify sample', async () => {
    const wav = await loadEnfFixture('ENFify/samples/synthetic_uncut_0.wav')
    expect({ rate: wav.sampleRate, format: wav.format, bits: wav.bitsPerSample }).toEqual({
      rate: 1000,
      format: 'float',
      bits: 64,
    })
    expect(wav.samples.length).toBe(60_000)
  })

  test('rejects bytes that are not a WAV file with ENF_NOT_WAV', () => {
    const bytes = new TextEncoder().encode('time,frequency\n0,50\n')
    expect(isWav(bytes)).toBe(false)
    expect(() => readWav(bytes)).toThrow(EnfNotWavError)
    try {
      readWav(bytes)
    } catch (error) {
      expect(EnfNotWavError.is(error)).toBe(true)
    }
  })

  test('rejects a compressed WAV format with ENF_UNSUPPORTED_FORMAT', () => {
    const bytes = writeWav(ramp, { sampleRate: 1000 })
    new DataView(bytes.buffer).setUint16(20, 2, true) // MS ADPCM
    expect(() => readWav(bytes)).toThrow(EnfUnsupportedFormatError)
  })

  test('rejects a WAV file without a data chunk', () => {
    const bytes = writeWav(ramp, { sampleRate: 1000 }).subarray(0, 36)
    expect(() => readWav(bytes)).toThrow(EnfNotWavError)
  })
})
