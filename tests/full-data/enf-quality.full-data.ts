/**
 * The ENF quality evaluations on the full data sets, opt in:
 *   bun run test:full-data
 * Reads $VIGIL_SHARED_DATA or ../shared/data (ENF-WHU-Dataset, ENFify,
 * pyenf_extraction). Without them every test here is skipped, with the reason
 * printed; `npm test` never runs this file (it is not named *.test.ts) and
 * uses the excerpts in tests/fixtures/ instead.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import {
  compareEnf,
  decodeMedia,
  detectDiscontinuities,
  extractEnf,
  REFERENCE_DISCONTINUITY_OPTIONS,
} from '../../actors/enf-fingerprint/index.ts'
import {
  addNoise,
  createRandom,
  enfDataPath,
  findSharedDataDir,
  fullAnalysis,
  loadEnfWav,
  runLowSnrExperiment,
  runSpliceSuite,
  SHARED_DATA_MISSING,
  tallyRates,
  whuReference,
} from '../../actors/enf-fingerprint/testing/index.ts'
import { median } from '../../runtime/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'

// All 30 references, several times over, on a shared machine.
setDefaultTimeout(600_000)

const dataDir = findSharedDataDir()
if (!dataDir) console.error(`[full-data] skipped: ${SHARED_DATA_MISSING}`)
const core = loadFftCoreSync()
const ALL_REFERENCES = Array.from({ length: 30 }, (_, i) => i + 1)
const wuhan = 'ENFify/notebooks/Wuhan_ENF_data/'
const pyenf = 'pyenf_extraction/attack recordings/'

describe.skipIf(!dataDir)('ENF on all 30 ENF-WHU references', () => {
  test('detects ≥ 95 % of 30–60 s foreign segments spliced into every reference at 20 dB, with ≤ 1 % false alarms', async () => {
    const suite = await runSpliceSuite({
      core,
      hosts: ALL_REFERENCES,
      donorsPerHost: 3,
      snrDb: 20,
      seed: 7,
      load: (n) => loadEnfWav(whuReference(n)),
    })
    console.error(
      `[full-data] splices: ${suite.detected}/${suite.cases} detected, ${suite.falseAlarmWindows}/${suite.authenticWindows} authentic windows flagged, ${suite.controlsNotAuthentic} controls not authentic`,
    )
    expect(suite.cases).toBe(90)
    expect(suite.detectionRate).toBeGreaterThanOrEqual(0.95)
    expect(suite.falseAlarmRate).toBeLessThanOrEqual(0.01)
    expect(suite.controlsNotAuthentic).toBe(0)
  })

  test('reads every 400 Hz reference with harmonics 1–3 only, a median SNR above 40 dB and ENF within ±0.2 Hz', async () => {
    for (const n of ALL_REFERENCES) {
      const series = extractEnf(await loadEnfWav(whuReference(n)), { nominal: 50, core })
      expect({ n, harmonics: series.harmonics.map((h) => h.harmonic) }).toEqual({
        n,
        harmonics: [1, 2, 3],
      })
      expect(median(series.snrDb)).toBeGreaterThan(40)
      expect(Math.min(...series.frequency)).toBeGreaterThan(49.8)
      expect(Math.max(...series.frequency)).toBeLessThan(50.2)
    }
  })

  test('does not call any reference tampered for loud bursts of other sound every minute', async () => {
    // As in detect-discontinuities.test.ts (references 3, 11, 27 there): 3 s of noise 20 dB above
    // the background every minute, on 20 dB hum.
    for (const n of ALL_REFERENCES) {
      const host = await loadEnfWav(whuReference(n))
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
      expect({ n, verdict: result.verdict }).toEqual({ n, verdict: 'authentic' })
    }
  })

  test('calls the real noisy recording tampered against every other day’s reference', async () => {
    const recording = extractEnf(await loadEnfWav(`${wuhan}down_001.wav`), { nominal: 50, core })
    for (const n of ALL_REFERENCES.filter((n) => n !== 1)) {
      const other = extractEnf(await loadEnfWav(whuReference(n)), { nominal: 50, core })
      expect({ n, verdict: compareEnf(recording, other).verdict }).toEqual({
        n,
        verdict: 'tampered',
      })
    }
  })
})

describe.skipIf(!dataDir)('ENF at low hum SNR on all 30 ENF-WHU references', () => {
  test('detects ≥ 95 % of 30–60 s splices at 15 dB and ≥ 90 % at 10 dB, with ≤ 1 % of 120 controls each called tampered (even references; the odd ones calibrated)', async () => {
    // The experiment of `bun run bench enf` (same seed): per SNR, 8 spliced trials and 8
    // controls per reference; the rates are those of the 15 even-numbered references.
    const results = await runLowSnrExperiment({
      core,
      references: ALL_REFERENCES,
      perHost: 8,
      snrsDb: [10, 15, 20],
      seed: 15,
      load: (n) => loadEnfWav(whuReference(n)),
      detector: fullAnalysis(core),
    })
    const floors = { 10: 0.9, 15: 0.95, 20: 0.95 } as const
    for (const { snrDb, even } of results) {
      const rates = tallyRates(even)
      console.error(
        `[full-data] ${snrDb} dB: ${even.detected}/${even.splices} splices detected, ${even.falseAlarms}/${even.controls} controls tampered, ${even.controlsInconclusive} inconclusive`,
      )
      expect(even.controls).toBe(120)
      expect({ snrDb, detection: rates.detectionRate >= floors[snrDb as 10 | 15 | 20] }).toEqual({
        snrDb,
        detection: true,
      })
      expect({ snrDb, falseAlarms: rates.falseAlarmRate <= 0.01 }).toEqual({
        snrDb,
        falseAlarms: true,
      })
    }
  })
})

describe.skipIf(!dataDir)('ENF on the full ENFify recordings', () => {
  test('finds no valid ENF, no discontinuity and no verdict in the whole 480 s H0 recording', async () => {
    const audio = await loadEnfWav(`${wuhan}down_01.wav`)
    const series = extractEnf(audio, { nominal: 50, core })
    expect(series.valid.reduce((a, b) => a + b, 0) / series.valid.length).toBeLessThan(0.05)
    expect(detectDiscontinuities(audio, series, { core })).toEqual([])
    const reference = extractEnf(await loadEnfWav(`${wuhan}down_001_ref.wav`), {
      nominal: 50,
      core,
    })
    const result = compareEnf(series, reference)
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toContain('No usable ENF')
  })
})

describe.skipIf(!dataDir)('ENF on the 44.1 kHz pyENF attack pairs', () => {
  const pairs = [
    ['audio_recording.wav', 'attacked_audio_recording.wav', 17.28, 28.7],
    ['audio_recording (1).wav', 'attacked_audio_recording (1).wav', 7.89, 13.89],
    ['audio_recording (2).wav', 'attacked_audio_recording (2).wav', 7.89, 13.89],
  ] as const

  test('locates the tampered span of every pair at 44.1 kHz when gating is lowered', async () => {
    const options = {
      nominal: 60,
      core,
      frameSeconds: 2,
      minSnrDb: -Infinity,
      medianSteps: 1,
    } as const
    for (const [original, attacked, from, to] of pairs) {
      const [a, b] = await Promise.all([loadEnfWav(pyenf + original), loadEnfWav(pyenf + attacked)])
      expect(a.sampleRate).toBe(44100)
      const result = compareEnf(extractEnf(b, options), extractEnf(a, options), {
        windowSeconds: 4,
        stepSeconds: 1,
        longWindowSeconds: 8,
        minConsecutive: 2,
        maxLagSeconds: 0,
        minSnrDb: -Infinity,
      })
      expect(result.verdict).toBe('tampered')
      for (const span of result.tamperedSpans) {
        expect(span.startSeconds).toBeGreaterThanOrEqual(from - 2)
        expect(span.endSeconds).toBeLessThanOrEqual(to + 2)
      }
      expect(result.tamperedSpans.length).toBeGreaterThan(0)
    }
  })

  test('does not call the weak-ENF 44.1 kHz recordings authentic at default gating', async () => {
    const options = { nominal: 60, core, frameSeconds: 4 } as const
    const original = extractEnf(await loadEnfWav(`${pyenf}audio_recording.wav`), options)
    const attacked = extractEnf(await loadEnfWav(`${pyenf}attacked_audio_recording.wav`), options)
    const result = compareEnf(attacked, original, { windowSeconds: 10, longWindowSeconds: 20 })
    expect(result.verdict).toBe('inconclusive')
  })

  test('decodes the whole 33.85 s recording at the requested rate', async () => {
    const audio = await decodeMedia(enfDataPath(`${pyenf}audio_recording.wav`), {
      sampleRate: 1200,
    })
    expect(audio.sampleRate).toBe(1200)
    expect(Math.abs(audio.samples.length / 1200 - 33.85)).toBeLessThan(0.05)
  })
})
