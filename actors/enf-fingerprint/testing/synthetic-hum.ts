/**
 * Synthetic mains hum with a known, wandering ENF and white noise at a given
 * SNR, for accuracy tests and the benchmark. The SNR is the fundamental's
 * power over the noise power in a 1 Hz band around it (the SNR docs/enf.md's
 * accuracy and splice figures are stated in).
 */
import type { MonoAudio } from '../read-wav.ts'
import { createRandom } from './splice-experiment.ts'

export type SyntheticHumOptions = {
  sampleRate: number
  seconds: number
  nominal: 50 | 60
  /** dB, fundamental power over noise power in 1 Hz. */
  snrDb: number
  /** Relative amplitudes of harmonics 1, 2, … (default [1]: the fundamental only). */
  harmonicAmplitudes?: readonly number[] | undefined
  seed?: number | undefined
}

export type SyntheticHum = {
  audio: MonoAudio
  /** Instantaneous grid frequency per sample (Hz). */
  instantaneous: Float64Array
}

/** Builds hum whose ENF wanders by ±30 mHz (two slow sines and a random walk). */
export function synthesizeHum(options: SyntheticHumOptions): SyntheticHum {
  const { sampleRate: fs, seconds, nominal, snrDb } = options
  const amplitudes = options.harmonicAmplitudes ?? [1]
  const random = createRandom(options.seed ?? 1)
  const n = Math.round(fs * seconds)
  const amplitude = 0.1
  const sigma = Math.sqrt(((amplitude * amplitude) / 2 / 10 ** (snrDb / 10)) * (fs / 2))
  const instantaneous = new Float64Array(n)
  const samples = new Float64Array(n)
  let phase = 0
  let walk = 0
  const phase1 = random() * 6.28
  const phase2 = random() * 6.28
  for (let i = 0; i < n; i++) {
    const t = i / fs
    if (i % fs === 0) walk = Math.max(-0.01, Math.min(0.01, walk + (random() - 0.5) * 0.001))
    const f =
      nominal +
      0.015 * Math.sin((2 * Math.PI * t) / 97 + phase1) +
      0.008 * Math.sin((2 * Math.PI * t) / 31 + phase2) +
      walk
    instantaneous[i] = f
    phase += (2 * Math.PI * f) / fs
    let value = 0
    for (let h = 0; h < amplitudes.length; h++)
      value += amplitude * amplitudes[h]! * Math.sin((h + 1) * phase)
    const r = Math.sqrt(-2 * Math.log(random() + 1e-300))
    samples[i] = value + sigma * r * Math.cos(2 * Math.PI * random())
  }
  return { audio: { sampleRate: fs, samples }, instantaneous }
}

/** The true ENF as an STFT frame sees it: the Hann-weighted mean of the instantaneous frequency. */
export function frameAveragedTruth(
  instantaneous: Float64Array,
  sampleRate: number,
  times: ArrayLike<number>,
  frameSeconds: number,
): Float64Array {
  const length = Math.round(frameSeconds * sampleRate)
  const truth = new Float64Array(times.length)
  for (let k = 0; k < times.length; k++) {
    const first = Math.round(times[k]! * sampleRate - (length - 1) / 2)
    let sum = 0
    let weights = 0
    for (let j = 0; j < length; j++) {
      const i = first + j
      if (i < 0 || i >= instantaneous.length) continue
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / (length - 1))
      sum += w * instantaneous[i]!
      weights += w
    }
    truth[k] = sum / weights
  }
  return truth
}
