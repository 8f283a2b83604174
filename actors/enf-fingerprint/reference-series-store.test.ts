import { describe, expect, test } from 'bun:test'
import type { LiveEnfStep } from './live-enf-extractor.ts'
import { createReferenceSeriesStore } from './reference-series-store.ts'

const steps = (from: number, to: number): LiveEnfStep[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    index: from + i,
    timeSeconds: from + i,
    frequencyHz: 50 + (from + i) * 1e-4,
    snrDb: 30,
    valid: true,
  }))

describe('the reference series store', () => {
  test('a range without a gap is served as it was appended, naming no gap', () => {
    const store = createReferenceSeriesStore({ epochMs: 1000, hopSeconds: 1 })
    store.append(steps(10, 40))
    const series = store.series(1000 + 20_000, 1000 + 25_000)!
    expect(series.startMs).toBe(21_000)
    expect(series.frequencyHz).toHaveLength(6)
    expect(series.gaps).toEqual([])
  })

  test('steps missing between two runs are placeholders, not valid, and any range reaching into them names the gap', () => {
    const store = createReferenceSeriesStore({ epochMs: 0, hopSeconds: 1 })
    store.append(steps(10, 40))
    // The restarted input's extractor starts at 0 again; its run begins at 60 s of stream time.
    store.append(steps(10, 30), 60)
    expect(store.gaps).toEqual([{ fromMs: 41_000, toMs: 69_000 }])
    expect(store.coveredUntilMs).toBe(90_000)
    const across = store.series(35_000, 75_000)!
    expect(across.gaps).toEqual([{ fromMs: 41_000, toMs: 69_000 }])
    const at = (ms: number) => (ms - across.startMs) / across.hopMs
    expect(across.valid[at(40_000)]).toBe(true)
    for (let ms = 41_000; ms <= 69_000; ms += 1000) {
      expect(across.valid[at(ms)]).toBe(false)
      expect(across.snrDb[at(ms)]).toBeNull()
    }
    expect(across.valid[at(70_000)]).toBe(true)
    expect(across.frequencyHz[at(70_000)]).toBeCloseTo(50 + 10 * 1e-4, 9)
    expect(store.series(72_000, 80_000)!.gaps).toEqual([])
  })
})
