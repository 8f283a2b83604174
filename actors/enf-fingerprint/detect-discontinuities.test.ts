import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { loadFftCoreSync } from '../../wasm/fft.ts'
import { compareEnf } from './compare-enf.ts'
import { detectDiscontinuities } from './detect-discontinuities.ts'
import { extractEnf } from './extract-enf.ts'
import { loadEnfWav, whuReference } from './testing/shared-data.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()

async function analyse(path: string, frameSeconds = 20) {
  const audio = await loadEnfWav(path)
  const series = extractEnf(audio, { nominal: 50, core, frameSeconds })
  return { series, discontinuities: detectDiscontinuities(audio, series, { core }) }
}

describe('detectDiscontinuities', () => {
  test('finds the 10 s deletion in the ENF-WHU excerpt at 37.0 s and nothing in the uncut excerpt', async () => {
    const cut = await analyse('ENFify/samples/whu_cut_min_001_ref.wav')
    expect(cut.discontinuities.length).toBe(1)
    expect(Math.abs(cut.discontinuities[0]!.time_s - 37)).toBeLessThanOrEqual(0.2)
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
    expect((await analyse('ENFify/notebooks/Wuhan_ENF_data/down_01.wav')).discontinuities).toEqual(
      [],
    )
  })

  test('lets compareEnf call the cut excerpt tampered at the cut and the uncut excerpt authentic', async () => {
    const full = await analyse(whuReference(1))
    const cut = await analyse('ENFify/samples/whu_cut_min_001_ref.wav')
    const cutResult = compareEnf(cut.series, full.series, {
      discontinuities: cut.discontinuities,
      referenceDiscontinuities: full.discontinuities,
    })
    expect(cutResult.verdict).toBe('tampered')
    expect(cutResult.lag_s).toBe(10)
    expect(cutResult.tampered_spans).toEqual([
      {
        start_s: expect.closeTo(36.5, 0),
        end_s: expect.closeTo(37.5, 0),
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
})
