import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { median } from '../../runtime/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { EnfInvalidParameterError, EnfTooShortError } from './errors.ts'
import { type EnfSeries, extractEnf } from './extract-enf.ts'
import { chooseFolding } from './harmonic-folding.ts'
import { frameAveragedTruth, loadEnfFixture, synthesizeHum } from './testing/index.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()

function rmseAgainstTruth(series: EnfSeries, instantaneous: Float64Array, rate: number): number {
  const times = Array.from(series.frequency, (_, i) => series.startSeconds + i * series.hopSeconds)
  const truth = frameAveragedTruth(instantaneous, rate, times, series.frameSeconds)
  let sum = 0
  for (let i = 0; i < truth.length; i++) sum += (series.frequency[i]! - truth[i]!) ** 2
  return Math.sqrt(sum / truth.length)
}

/** Median |recording − reference| after removing their constant (sound-card clock) offset. */
function medianErrorAfterOffset(recording: EnfSeries, reference: EnfSeries): number {
  const n = Math.min(recording.frequency.length, reference.frequency.length)
  const diff = Array.from(
    { length: n },
    (_, i) => recording.frequency[i]! - reference.frequency[i]!,
  )
  const offset = median(diff)
  return median(diff.map((d) => Math.abs(d - offset)))
}

describe('extractEnf', () => {
  test('tracks synthetic hum at 30 dB SNR with an RMSE of at most 1 mHz', () => {
    const hum = synthesizeHum({ sampleRate: 1000, seconds: 300, nominal: 50, snrDb: 30 })
    const series = extractEnf(hum.audio, { nominal: 50, core })
    expect(series.hopSeconds).toBe(1)
    expect(series.frequency.length).toBeGreaterThan(270)
    expect(rmseAgainstTruth(series, hum.instantaneous, 1000)).toBeLessThanOrEqual(0.001)
  })

  test('tracks a 25-minute recording across STFT chunks without a seam', () => {
    // > 1,024 frames: the STFT runs in two chunks.
    const hum = synthesizeHum({ sampleRate: 1000, seconds: 1500, nominal: 50, snrDb: 30, seed: 9 })
    const series = extractEnf(hum.audio, { nominal: 50, core })
    expect(series.frequency.length).toBeGreaterThan(1100)
    expect(rmseAgainstTruth(series, hum.instantaneous, 1000)).toBeLessThanOrEqual(0.001)
  })

  test('tracks 60 Hz hum carried only by its second harmonic, from 8 kHz audio', () => {
    const hum = synthesizeHum({
      sampleRate: 8000,
      seconds: 120,
      nominal: 60,
      snrDb: 30,
      harmonicAmplitudes: [0, 1],
    })
    const series = extractEnf(hum.audio, { nominal: 60, core })
    expect(rmseAgainstTruth(series, hum.instantaneous, 8000)).toBeLessThanOrEqual(0.001)
    expect(series.harmonics.find((h) => h.harmonic === 2)!.usedFraction).toBeGreaterThan(0.95)
  })

  test('matches the real noisy ENF-WHU recording to its mains reference within 1 mHz median error', async () => {
    const [recording, reference] = await Promise.all([
      loadEnfFixture('ENFify/notebooks/Wuhan_ENF_data/down_001.wav'),
      loadEnfFixture('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav'),
    ])
    const recordingEnf = extractEnf(recording, { nominal: 50, core })
    const referenceEnf = extractEnf(reference, { nominal: 50, core })
    expect(medianErrorAfterOffset(recordingEnf, referenceEnf)).toBeLessThanOrEqual(0.001)
    // The microphone carries the 4th harmonic (200 Hz) most strongly (notes §4).
    const strongest = [...recordingEnf.harmonics].sort((a, b) => b.medianSnrDb - a.medianSnrDb)[0]
    expect(strongest?.harmonic).toBe(4)
  })

  test('finds no valid ENF in the H0 recording without mains hum', async () => {
    const series = extractEnf(
      await loadEnfFixture('ENFify/notebooks/Wuhan_ENF_data/down_01-first-120s.wav'),
      {
        nominal: 50,
        core,
      },
    )
    const validFraction = series.valid.reduce((a, b) => a + b, 0) / series.valid.length
    expect(validFraction).toBeLessThan(0.05)
  })

  test('finds no valid ENF when told the wrong nominal frequency', async () => {
    const series = extractEnf(
      await loadEnfFixture('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav'),
      {
        nominal: 60,
        core,
      },
    )
    expect(series.valid.reduce((a, b) => a + b, 0)).toBe(0)
  })

  test('reads 400 Hz mains references with harmonics 1–3 only', async () => {
    const series = extractEnf(await loadEnfFixture('ENF-WHU-Dataset/H1_ref/002_ref.wav'), {
      nominal: 50,
      core,
    })
    expect(series.harmonics.map((h) => h.harmonic)).toEqual([1, 2, 3])
    expect(median(series.snrDb)).toBeGreaterThan(40)
    const min = Math.min(...series.frequency)
    const max = Math.max(...series.frequency)
    expect(min).toBeGreaterThan(49.8)
    expect(max).toBeLessThan(50.2)
  })

  test('marks steps whose frame holds a loud burst of other sound as disturbed and invalid', () => {
    const hum = synthesizeHum({ sampleRate: 1000, seconds: 240, nominal: 50, snrDb: 20, seed: 4 })
    const clean = extractEnf(hum.audio, { nominal: 50, core })
    expect(clean.disturbed.reduce((a, b) => a + b, 0)).toBe(0)
    const x = new Float64Array(hum.audio.samples)
    let state = 12345
    for (let i = 120_000; i < 123_000; i++) {
      state = (state * 1103515245 + 12345) % 2147483648
      x[i]! += 3 * (state / 1073741824 - 1) // 3 s of noise ≈ 30 dB above the hum
    }
    const noisy = extractEnf({ sampleRate: 1000, samples: x }, { nominal: 50, core })
    const disturbedTimes = Array.from(noisy.disturbed.keys())
      .filter((i) => noisy.disturbed[i] === 1)
      .map((i) => noisy.startSeconds + i * noisy.hopSeconds)
    expect(disturbedTimes.length).toBeGreaterThan(5)
    for (const t of disturbedTimes) expect(Math.abs(t - 121.5)).toBeLessThanOrEqual(12)
    for (const i of Array.from(noisy.disturbed.keys()).filter((k) => noisy.disturbed[k] === 1)) {
      expect(noisy.valid[i]).toBe(0)
    }
  })

  test('rejects audio shorter than one frame with ENF_TOO_SHORT', () => {
    const hum = synthesizeHum({ sampleRate: 1000, seconds: 10, nominal: 50, snrDb: 30 })
    expect(() => extractEnf(hum.audio, { nominal: 50, core })).toThrow(EnfTooShortError)
  })

  test('rejects a nominal frequency other than 50 or 60 Hz', () => {
    const hum = synthesizeHum({ sampleRate: 1000, seconds: 30, nominal: 50, snrDb: 30 })
    expect(() => extractEnf(hum.audio, { nominal: 55 as 50, core })).toThrow(
      EnfInvalidParameterError,
    )
  })
})

describe('chooseFolding', () => {
  test('folds harmonics 1–6 of 50 Hz at 1 kHz into separate bands at ≤ 53 Hz', () => {
    const fold = chooseFolding(50, 20, [1, 2, 3, 4, 5, 6])
    expect(fold.decimation).toBeGreaterThanOrEqual(19)
    const centres = fold.bands.map((b) => b.centre).sort((a, b) => a - b)
    for (let i = 1; i < centres.length; i++)
      expect(centres[i]! - centres[i - 1]!).toBeGreaterThan(2)
  })
})
