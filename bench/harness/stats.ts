/** Percentiles and summaries for benchmark samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

/** The item whose `value` is the median (the upper middle one for an even count); undefined for none. */
export function medianBy<Item>(
  items: readonly Item[],
  value: (item: Item) => number,
): Item | undefined {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)]
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN
  return samples.reduce((sum, x) => sum + x, 0) / samples.length
}

export type Summary = {
  n: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    mean: mean(samples),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples.length ? Math.max(...samples) : Number.NaN,
  }
}

/** Rounds to `digits` significant decimals for printing. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** One step of an empirical CDF: the fraction of samples ≤ `value`. */
export type CdfPoint = { value: number; fraction: number }

/**
 * The empirical CDF of `samples`, one point per distinct value (ascending), thinned to at most
 * `maxPoints` evenly spaced ranks (the last point, fraction 1, always kept) so a plot stays small.
 */
export function cdf(samples: readonly number[], maxPoints = 200): CdfPoint[] {
  const sorted = [...samples].filter(Number.isFinite).sort((a, b) => a - b)
  const points: CdfPoint[] = []
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number
    if (i + 1 < sorted.length && sorted[i + 1] === value) continue
    points.push({ value, fraction: (i + 1) / sorted.length })
  }
  if (points.length <= maxPoints) return points
  const step = points.length / maxPoints
  const thinned = Array.from(
    { length: maxPoints - 1 },
    (_, k) => points[Math.floor(k * step)] as CdfPoint,
  )
  thinned.push(points.at(-1) as CdfPoint)
  return thinned
}
