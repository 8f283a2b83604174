import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { compareEnf } from './compare-enf.ts'
import { EnfTooShortError } from './errors.ts'
import { extractEnf } from './extract-enf.ts'
import { formatEnfCsv, readEnfCsv } from './read-enf-csv.ts'
import {
  createRandom,
  loadEnfFixture,
  runSpliceSuite,
  WHU_FIXTURE_REFERENCES,
  whuReference,
} from './testing/index.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()
const wuhan = 'ENFify/notebooks/Wuhan_ENF_data/'

describe('compareEnf', () => {
  test('detects ≥ 95 % of 30–60 s foreign segments spliced into mains references at 20 dB, with ≤ 1 % false alarms', async () => {
    // The ENF-WHU references carried as fixtures, each spliced with three others (all 30
    // references: tests/full-data/ and `bun run bench enf`).
    const suite = await runSpliceSuite({
      core,
      hosts: WHU_FIXTURE_REFERENCES,
      donors: WHU_FIXTURE_REFERENCES,
      donorsPerHost: 3,
      snrDb: 20,
      seed: 7,
      load: (n) => loadEnfFixture(whuReference(n)),
    })
    expect(suite.cases).toBe(3 * WHU_FIXTURE_REFERENCES.length)
    expect(suite.detectionRate).toBeGreaterThanOrEqual(0.95)
    expect(suite.falseAlarmRate).toBeLessThanOrEqual(0.01)
    expect(suite.controlsNotAuthentic).toBe(0)
  })

  test('calls the real noisy recording authentic against its own reference', async () => {
    const recording = extractEnf(await loadEnfFixture(`${wuhan}down_001.wav`), {
      nominal: 50,
      core,
    })
    const reference = extractEnf(await loadEnfFixture(`${wuhan}down_001_ref.wav`), {
      nominal: 50,
      core,
    })
    const result = compareEnf(recording, reference)
    expect(result.verdict).toBe('authentic')
    // The two files line up within a second (the best whole-step lag is 0 or 1).
    expect(Math.abs(result.lagSeconds)).toBeLessThanOrEqual(1)
    expect(result.tamperedSpans).toEqual([])
    // The weak first two minutes are gated out, not counted as mismatches.
    expect(result.windows.filter((w) => w.status === 'mismatch')).toEqual([])
    expect(result.windows.some((w) => w.status === 'inconclusive')).toBe(true)
  })

  test('calls the real recording tampered against an unrelated day’s reference', async () => {
    const recording = extractEnf(await loadEnfFixture(`${wuhan}down_001.wav`), {
      nominal: 50,
      core,
    })
    const unrelated = extractEnf(await loadEnfFixture(whuReference(17)), { nominal: 50, core })
    expect(compareEnf(recording, unrelated).verdict).toBe('tampered')
  })

  test('answers inconclusive, with the reason, for a recording without ENF', async () => {
    const recording = extractEnf(await loadEnfFixture(`${wuhan}down_01-first-120s.wav`), {
      nominal: 50,
      core,
    })
    const reference = extractEnf(await loadEnfFixture(`${wuhan}down_001_ref.wav`), {
      nominal: 50,
      core,
    })
    const result = compareEnf(recording, reference)
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toContain('No usable ENF')
  })

  test('finds where a short recording sits inside a long reference', async () => {
    // whu_uncut_min_001_ref is 001_ref from 10.0 s to 70.0 s.
    const excerpt = extractEnf(await loadEnfFixture('ENFify/samples/whu_uncut_min_001_ref.wav'), {
      nominal: 50,
      core,
    })
    const reference = extractEnf(await loadEnfFixture(whuReference(1)), { nominal: 50, core })
    const result = compareEnf(excerpt, reference, { longWindowSeconds: 30 })
    expect(result.lagSeconds).toBe(10)
    expect(result.verdict).toBe('authentic')
  })

  test('gives the same verdict with a CSV reference as with the audio it came from', async () => {
    const recording = extractEnf(await loadEnfFixture(`${wuhan}down_001.wav`), {
      nominal: 50,
      core,
    })
    const reference = extractEnf(await loadEnfFixture(`${wuhan}down_001_ref.wav`), {
      nominal: 50,
      core,
    })
    const fromCsv = readEnfCsv(formatEnfCsv(reference))
    const viaCsv = compareEnf(recording, fromCsv)
    expect(viaCsv.verdict).toBe('authentic')
    expect(viaCsv.windows.length).toBe(compareEnf(recording, reference).windows.length)
  })

  test('locates the tampered span of the pyENF attack pairs when gating is lowered', async () => {
    // Weak ENF (notes §7.3): gating off, short frames and windows, attacked vs original.
    // 1 kHz resamples of the 44.1 kHz originals (those: tests/full-data/).
    const folder = 'pyenf_extraction/attack-recordings-1khz/'
    const pairs = [
      ['audio_recording.wav', 'attacked_audio_recording.wav', 17.28, 28.7],
      ['audio_recording-1.wav', 'attacked_audio_recording-1.wav', 7.89, 13.89],
      ['audio_recording-2.wav', 'attacked_audio_recording-2.wav', 7.89, 13.89],
    ] as const
    for (const [original, attacked, from, to] of pairs) {
      const options = {
        nominal: 60,
        core,
        frameSeconds: 2,
        minSnrDb: -Infinity,
        medianSteps: 1,
      } as const
      const [a, b] = await Promise.all([
        loadEnfFixture(folder + original),
        loadEnfFixture(folder + attacked),
      ])
      expect(a.sampleRate).toBe(1000)
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
        // Every located span overlaps the true one, within one frame of its edges.
        expect(span.startSeconds).toBeGreaterThanOrEqual(from - 2)
        expect(span.endSeconds).toBeLessThanOrEqual(to + 2)
      }
      expect(result.tamperedSpans.length).toBeGreaterThan(0)
    }
  })

  test('does not call the weak-ENF pyENF recordings authentic at default gating', async () => {
    const folder = 'pyenf_extraction/attack-recordings-1khz/'
    const original = extractEnf(await loadEnfFixture(`${folder}audio_recording.wav`), {
      nominal: 60,
      core,
      frameSeconds: 4,
    })
    const attacked = extractEnf(await loadEnfFixture(`${folder}attacked_audio_recording.wav`), {
      nominal: 60,
      core,
      frameSeconds: 4,
    })
    const result = compareEnf(attacked, original, { windowSeconds: 10, longWindowSeconds: 20 })
    expect(result.verdict).toBe('inconclusive')
  })

  test('rejects a recording shorter than one window with ENF_TOO_SHORT', () => {
    const track = { startSeconds: 10, hopSeconds: 1, frequency: new Float64Array(20).fill(50) }
    expect(() => compareEnf(track, track)).toThrow(EnfTooShortError)
  })
})

describe('compareEnf offsets', () => {
  test('does not call a recording authentic when its ENF sits further from the reference than a clock error explains', async () => {
    const reference = extractEnf(await loadEnfFixture(`${wuhan}down_001_ref.wav`), {
      nominal: 50,
      core,
    })
    const shifted = { ...reference, frequency: reference.frequency.map((f) => f + 0.04) }
    const result = compareEnf(shifted, reference)
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toContain('40.0 mHz')
    const clockError = { ...reference, frequency: reference.frequency.map((f) => f - 0.008) }
    expect(compareEnf(clockError, reference).verdict).toBe('authentic')
  })
})

describe('compareEnf alignment', () => {
  test('finds a one-hour recording inside a six-hour grid series', () => {
    const random = createRandom(11)
    const grid = new Float64Array(6 * 3600)
    let f = 50
    for (let i = 0; i < grid.length; i++) {
      f += (random() - 0.5) * 0.002 - (f - 50) * 0.002
      grid[i] = f
    }
    const start = 7777
    const recording = {
      startSeconds: 10,
      hopSeconds: 1,
      frequency: grid.slice(start, start + 3600).map((x) => x + 0.004 + (random() - 0.5) * 0.001),
    }
    const result = compareEnf(recording, { startSeconds: 0, hopSeconds: 1, frequency: grid })
    expect(result.lagSeconds).toBe(start - 10)
    expect(result.verdict).toBe('authentic')
  })
})
