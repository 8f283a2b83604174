import { describe, expect, test } from 'bun:test'
import { LatencyHistogram } from './latency-histogram.ts'

describe('LatencyHistogram', () => {
  test('reports percentiles as bucket upper edges within a factor of two', () => {
    const histogram = new LatencyHistogram()
    for (let i = 1; i <= 100; i++) histogram.record(i)
    const summary = histogram.summary()
    expect(summary.count).toBe(100)
    expect(summary.p50Us).toBeGreaterThanOrEqual(50)
    expect(summary.p50Us).toBeLessThanOrEqual(100)
    expect(summary.p99Us).toBe(100)
    expect(summary.maxUs).toBe(100)
  })

  test('reports zeros when empty', () => {
    expect(new LatencyHistogram().summary()).toMatchObject({ count: 0, p50Us: 0, p99Us: 0 })
  })

  test('keeps a constant number of buckets however many samples arrive', () => {
    const histogram = new LatencyHistogram()
    for (let i = 0; i < 10_000; i++) histogram.record(i * 1000)
    expect(histogram.summary().buckets).toHaveLength(32)
  })
})
