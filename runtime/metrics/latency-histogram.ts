/**
 * A fixed-size latency histogram with power-of-two microsecond buckets:
 * bucket 0 counts durations under 1 µs, bucket i counts [2^(i-1), 2^i) µs.
 * Constant memory however many samples arrive; percentiles are reported as
 * the upper edge of the bucket they fall in (at most 2× the true value).
 */
const BUCKETS = 32

/** Plain-data view of a histogram. */
export type LatencySummary = {
  readonly count: number
  readonly p50Us: number
  readonly p90Us: number
  readonly p99Us: number
  readonly maxUs: number
  /** Counts per bucket; bucket i's upper edge is 2^i µs. */
  readonly buckets: readonly number[]
}

export class LatencyHistogram {
  readonly #buckets = new Array<number>(BUCKETS).fill(0)
  #count = 0
  #max = 0

  /** Records one duration in microseconds. */
  record(us: number): void {
    const index = us < 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(us)) + 1)
    this.#buckets[index] = (this.#buckets[index] ?? 0) + 1
    this.#count++
    if (us > this.#max) this.#max = us
  }

  /** Upper bucket edge below which `p` percent of samples fall (0 when empty). */
  percentile(p: number): number {
    if (this.#count === 0) return 0
    const rank = Math.ceil((p / 100) * this.#count)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#buckets[i] ?? 0
      if (seen >= rank) return Math.min(2 ** i, this.#max)
    }
    return this.#max
  }

  summary(): LatencySummary {
    return {
      count: this.#count,
      p50Us: this.percentile(50),
      p90Us: this.percentile(90),
      p99Us: this.percentile(99),
      maxUs: this.#max,
      buckets: [...this.#buckets],
    }
  }
}
