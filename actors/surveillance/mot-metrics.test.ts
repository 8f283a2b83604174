import { describe, expect, test } from 'bun:test'
import type { MotRow } from './format-mot.ts'
import { computeMotMetrics } from './mot-metrics.ts'

const row = (frame: number, id: number, x: number): MotRow => ({ frame, id, x, y: 0, w: 10, h: 10 })

describe('computeMotMetrics', () => {
  test('scores a perfect tracking result as MOTA 1 and IDF1 1', () => {
    const gt = [row(1, 1, 0), row(2, 1, 2), row(3, 1, 4)]
    const hyp = gt.map((r) => ({ ...r, id: 7 }))
    expect(computeMotMetrics(gt, hyp)).toMatchObject({ mota: 1, idf1: 1, num_switches: 0 })
  })

  test('counts misses, false positives and an id switch as py-motmetrics does', () => {
    // py-motmetrics: a switch is counted when the object's match changes; IDF1 from the best trajectory pairing.
    const gt = [row(1, 1, 0), row(2, 1, 0), row(3, 1, 0), row(4, 1, 0)]
    const hyp = [row(1, 5, 0), row(2, 5, 0), row(3, 6, 0), row(3, 9, 50), row(5, 6, 0)]
    const m = computeMotMetrics(gt, hyp)
    expect(m).toMatchObject({
      num_misses: 1,
      num_false_positives: 2,
      num_switches: 1,
      num_fragmentations: 0,
      idtp: 2,
    })
    expect(m.mota).toBeCloseTo(1 - 4 / 4)
    expect(m.idf1).toBeCloseTo((2 * 2) / (4 + 5))
  })

  test('keeps a previous match over a better-overlapping newcomer', () => {
    const gt = [row(1, 1, 0), row(2, 1, 0)]
    const hyp = [row(1, 5, 2), row(2, 5, 2), row(2, 6, 0)]
    expect(computeMotMetrics(gt, hyp)).toMatchObject({ num_switches: 0, num_false_positives: 1 })
  })

  test('counts a fragmentation when a tracked object is lost and found again', () => {
    const gt = [row(1, 1, 0), row(2, 1, 0), row(3, 1, 0)]
    const hyp = [row(1, 5, 0), row(3, 5, 0)]
    expect(computeMotMetrics(gt, hyp)).toMatchObject({
      num_misses: 1,
      num_fragmentations: 1,
      num_switches: 0,
    })
  })
})
