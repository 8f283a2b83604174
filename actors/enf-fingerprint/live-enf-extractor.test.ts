import { describe, expect, test } from 'bun:test'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { extractEnf } from './extract-enf.ts'
import { createLiveEnfExtractor } from './live-enf-extractor.ts'
import { synthesizeHum } from './testing/index.ts'

const core = loadFftCoreSync()

describe('createLiveEnfExtractor', () => {
  const noisy = synthesizeHum({
    seconds: 200,
    sampleRate: 1000,
    nominal: 50,
    snrDb: 20,
    seed: 3,
  }).audio

  test('gives the batch extractor’s steps on the same audio, whatever the chunk sizes', () => {
    const batch = extractEnf(noisy, { nominal: 50, core })
    const live = createLiveEnfExtractor({ nominal: 50, sampleRate: 1000, core })
    const steps = []
    let at = 0
    let size = 1
    while (at < noisy.samples.length) {
      steps.push(...live.push(noisy.samples.subarray(at, at + size)))
      at += size
      size = (size * 7 + 13) % 3001
    }
    expect(live.startSeconds).toBe(batch.startSeconds)
    // A finished file extrapolates its last steps; the live stream waits for more audio.
    expect(steps.length).toBeGreaterThan(batch.frequency.length - 3)
    let largest = 0
    for (const step of steps.slice(0, batch.frequency.length - 2)) {
      largest = Math.max(largest, Math.abs(step.frequencyHz - batch.frequency[step.index]!))
      expect(step.timeSeconds).toBe(batch.startSeconds + step.index)
      expect(step.valid).toBe(batch.valid[step.index] === 1)
    }
    expect(largest).toBeLessThan(1e-9)
  })

  test('refuses PCM that is not at a whole multiple of the nominal', () => {
    expect(() => createLiveEnfExtractor({ nominal: 50, sampleRate: 44_100, core })).toThrow(
      /whole multiple/,
    )
  })
})
