import { describe, expect, test } from 'bun:test'
import { cdf, mean, percentile, summarize } from './stats.ts'

describe('percentile', () => {
  test('is the nearest-rank value: p50 of 1..100 is 50 and p99 is 99', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(samples, 50)).toBe(50)
    expect(percentile(samples, 99)).toBe(99)
    expect(percentile(samples, 100)).toBe(100)
  })
  test('of one sample is that sample for every p, and of none is NaN', () => {
    expect(percentile([7], 1)).toBe(7)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
  })
  test('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2]
    percentile(samples, 50)
    expect(samples).toEqual([3, 1, 2])
  })
})

describe('summarize', () => {
  test('reports count, mean, percentiles and max', () => {
    const s = summarize([1, 2, 3, 4, 10])
    expect(s).toEqual({ n: 5, mean: 4, p50: 3, p95: 10, p99: 10, max: 10 })
    expect(mean([])).toBeNaN()
  })
})

describe('cdf', () => {
  test('gives the fraction of samples at or below each distinct value, ending at 1', () => {
    expect(cdf([3, 1, 2, 2])).toEqual([
      { value: 1, fraction: 0.25 },
      { value: 2, fraction: 0.75 },
      { value: 3, fraction: 1 },
    ])
  })
  test('is non-decreasing and thinned to at most maxPoints, keeping the last point', () => {
    const points = cdf(
      Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007),
      50,
    )
    expect(points.length).toBeLessThanOrEqual(50)
    expect(points.at(-1)?.fraction).toBe(1)
    for (let i = 1; i < points.length; i++) {
      expect(points[i]?.value).toBeGreaterThan(points[i - 1]?.value as number)
      expect(points[i]?.fraction).toBeGreaterThan(points[i - 1]?.fraction as number)
    }
  })
  test('ignores non-finite samples and is empty for none', () => {
    expect(cdf([Number.NaN, 1, Number.POSITIVE_INFINITY])).toEqual([{ value: 1, fraction: 1 }])
    expect(cdf([])).toEqual([])
  })
})
