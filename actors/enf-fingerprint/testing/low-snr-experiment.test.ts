import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { loadFftCoreSync } from '../../../wasm/index.ts'
import { loadEnfFixture, WHU_FIXTURE_REFERENCES, whuReference } from './enf-fixtures.ts'
import { fullAnalysis, planLowSnrTrials, runLowSnrExperiment } from './low-snr-experiment.ts'

// Real references on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()
const durations = new Map(WHU_FIXTURE_REFERENCES.map((n) => [n, 600] as const))

describe('the low-SNR splice experiment', () => {
  test('plans the same trials from the same seed, and other trials from another', () => {
    const plan = (seed: number) =>
      planLowSnrTrials({
        hosts: WHU_FIXTURE_REFERENCES,
        donors: WHU_FIXTURE_REFERENCES,
        durations,
        perHost: 3,
        snrDb: 15,
        seed,
      })
    expect(plan(4)).toEqual(plan(4))
    expect(plan(5)).not.toEqual(plan(4))
    const trials = plan(4)
    expect(trials.filter((t) => t.kind === 'control')).toHaveLength(
      3 * WHU_FIXTURE_REFERENCES.length,
    )
    expect(new Set(trials.map((t) => t.kind))).toEqual(
      new Set(['control', 'replace-foreign', 'replace-same', 'insert-foreign']),
    )
    for (const t of trials) {
      expect(t.spliceLengthS).toBeGreaterThanOrEqual(30)
      expect(t.spliceLengthS).toBeLessThanOrEqual(60)
      expect(t.spliceStartS + t.spliceLengthS).toBeLessThanOrEqual(t.excerptLengthS - 40)
      expect(t.excerptStartS + t.excerptLengthS).toBeLessThanOrEqual(600)
      if (t.kind === 'replace-same')
        expect(Math.abs(t.donorStartS - (t.excerptStartS + t.spliceStartS))).toBeGreaterThanOrEqual(
          60,
        )
      if (t.kind === 'replace-foreign' || t.kind === 'insert-foreign')
        expect(t.donor).not.toBe(t.host)
    }
  })

  test('detects ≥ 15 of 16 splices at 15 dB hum SNR in the fixture references and calls none of 16 controls tampered', async () => {
    // The quality floor of `npm test`: two spliced trials and two controls per fixture reference.
    // The full experiment (30 references, 240 + 240 trials per SNR) is in tests/full-data/ and
    // `bun run bench enf`.
    const [result] = await runLowSnrExperiment({
      core,
      references: WHU_FIXTURE_REFERENCES,
      perHost: 2,
      snrsDb: [15],
      seed: 15,
      load: (n) => loadEnfFixture(whuReference(n)),
      detector: fullAnalysis(core),
    })
    const splices = result!.odd.splices + result!.even.splices
    const detected = result!.odd.detected + result!.even.detected
    expect(splices).toBe(16)
    expect(detected).toBeGreaterThanOrEqual(15)
    expect(result!.odd.controls + result!.even.controls).toBe(16)
    expect(result!.odd.falseAlarms + result!.even.falseAlarms).toBe(0)
  })
})
