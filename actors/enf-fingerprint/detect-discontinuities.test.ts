import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { compareEnf } from './compare-enf.ts'
import { detectDiscontinuities, REFERENCE_DISCONTINUITY_OPTIONS } from './detect-discontinuities.ts'
import { extractEnf } from './extract-enf.ts'
import { addNoise, createRandom, loadEnfFixture, whuReference } from './testing/index.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()

async function analyse(
  path: string,
  frameSeconds = 20,
  role: 'recording' | 'reference' = 'recording',
) {
  const audio = await loadEnfFixture(path)
  const series = extractEnf(audio, { nominal: 50, core, frameSeconds })
  const options = role === 'reference' ? REFERENCE_DISCONTINUITY_OPTIONS : {}
  return { series, discontinuities: detectDiscontinuities(audio, series, { core, ...options }) }
}

describe('detectDiscontinuities', () => {
  test('finds the 10 s deletion in the ENF-WHU excerpt at 37.0 s and nothing in the uncut excerpt', async () => {
    const cut = await analyse('ENFify/samples/whu_cut_min_001_ref.wav')
    expect(cut.discontinuities.length).toBe(1)
    expect(Math.abs(cut.discontinuities[0]!.timeSeconds - 37)).toBeLessThanOrEqual(0.2)
    const uncut = await analyse('ENFify/samples/whu_uncut_min_001_ref.wav')
    expect(uncut.discontinuities).toEqual([])
  })

  test('finds the single cut of the synthetic ENFify sample and nothing in its uncut twin', async () => {
    expect((await analyse('ENFify/samples/synthetic_cut_0.wav', 8)).discontinuities.length).toBe(1)
    expect((await analyse('ENFify/samples/synthetic_uncut_0.wav', 8)).discontinuities).toEqual([])
  })

  test('reports nothing on the unedited noisy recording or on audio without hum', async () => {
    expect((await analyse('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')).discontinuities).toEqual(
      [],
    )
    expect(
      (await analyse('ENFify/notebooks/Wuhan_ENF_data/down_01-first-120s.wav')).discontinuities,
    ).toEqual([])
  })

  test('lets compareEnf call the cut excerpt tampered at the cut and the uncut excerpt authentic', async () => {
    const full = await analyse(whuReference(1), 20, 'reference')
    const cut = await analyse('ENFify/samples/whu_cut_min_001_ref.wav')
    const cutResult = compareEnf(cut.series, full.series, {
      discontinuities: cut.discontinuities,
      referenceDiscontinuities: full.discontinuities,
    })
    expect(cutResult.verdict).toBe('tampered')
    expect(cutResult.lagSeconds).toBe(10)
    expect(cutResult.tamperedSpans).toEqual([
      {
        startSeconds: expect.closeTo(36.5, 0),
        endSeconds: expect.closeTo(37.5, 0),
        windows: 0,
        kind: 'phase_discontinuity',
      },
    ])
    const uncut = await analyse('ENFify/samples/whu_uncut_min_001_ref.wav')
    const uncutResult = compareEnf(uncut.series, full.series, {
      discontinuities: uncut.discontinuities,
      referenceDiscontinuities: full.discontinuities,
    })
    expect(uncutResult.verdict).toBe('authentic')
  })

  test('does not call authentic recordings with loud bursts of other sound tampered', async () => {
    // 3 s of noise 20 dB above the background every minute (doors, voices), on 20 dB hum; ref 027
    // also carries a disturbance of its own at 482.8 s that the reference must explain.
    for (const n of [3, 11, 27]) {
      const host = await loadEnfFixture(whuReference(n))
      const reference = extractEnf(host, { nominal: 50, core })
      const noisy = addNoise(host, 20, n)
      const random = createRandom(n)
      const x = noisy.samples
      const fs = host.sampleRate
      let power = 0
      for (let i = 0; i < x.length; i++) power += x[i]! ** 2
      const loud = 10 * Math.sqrt(power / x.length) * Math.sqrt(3)
      for (let t = 30; t < x.length / fs - 10; t += 60) {
        for (let i = t * fs; i < (t + 3) * fs; i++) x[i]! += loud * (2 * random() - 1)
      }
      const series = extractEnf(noisy, { nominal: 50, core })
      const result = compareEnf(series, reference, {
        discontinuities: detectDiscontinuities(noisy, series, { core }),
        referenceDiscontinuities: detectDiscontinuities(host, reference, {
          core,
          ...REFERENCE_DISCONTINUITY_OPTIONS,
        }),
      })
      expect(result.verdict).toBe('authentic')
    }
  })
})
