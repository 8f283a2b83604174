/**
 * The live-ENF test inputs (docs/enf.md, Live), built from the fixtures:
 * ENF-WHU reference 011 (749 s at 400 Hz) is the grid reference; the
 * "camera" hears the same grid with white noise at 20 dB hum SNR (1 Hz
 * band), and the spliced camera has 300–345 s replaced by reference 012's
 * audio of the same time, level-matched, before the noise.
 */
import type { MonoAudio } from '../read-wav.ts'
import { loadEnfFixture, whuReference } from './enf-fixtures.ts'
import { addNoise } from './splice-experiment.ts'

export type LiveSpliceAudio = {
  reference: MonoAudio
  uncut: MonoAudio
  spliced: MonoAudio
  /** The replaced span (s). */
  splice: { startSeconds: number; endSeconds: number }
}

function rms(x: Float64Array): number {
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!
  return Math.sqrt(sum / Math.max(1, x.length))
}

/** Loads and builds the three recordings (deterministic: fixed noise seeds). */
export async function liveSpliceAudio(
  splice = { startSeconds: 300, endSeconds: 345 },
): Promise<LiveSpliceAudio> {
  const host = await loadEnfFixture(whuReference(11))
  const donor = await loadEnfFixture(whuReference(12))
  const fs = host.sampleRate
  const from = splice.startSeconds * fs
  const to = splice.endSeconds * fs
  const replaced = Float64Array.from(host.samples)
  const segment = donor.samples.subarray(from, to)
  const gain = rms(host.samples.subarray(from, to)) / rms(segment)
  for (let i = from; i < to; i++) replaced[i] = donor.samples[i]! * gain
  const reference = { sampleRate: fs, samples: host.samples }
  return {
    reference,
    uncut: addNoise(reference, 20, 111),
    spliced: addNoise({ sampleRate: fs, samples: replaced }, 20, 112, reference),
    splice,
  }
}
