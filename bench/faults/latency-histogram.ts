/**
 * Latencies as a fixed-width histogram (20 µs buckets up to 2 s, larger ones
 * kept exactly), so a load generator can record hundreds of thousands of
 * responses cheaply and several generator processes' results can be merged
 * exactly before taking percentiles.
 */
const BUCKET_MS = 0.02
const BUCKETS = 100_000

export type LatencyHistogramJson = { buckets: [number, number][]; over: number[] }

export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS)
  readonly #over: number[] = []
  #count = 0

  get count(): number {
    return this.#count
  }

  record(ms: number): void {
    this.#count++
    const bucket = Math.floor(ms / BUCKET_MS)
    if (bucket < BUCKETS) this.#counts[bucket] = (this.#counts[bucket] as number) + 1
    else this.#over.push(ms)
  }

  /** The upper edge of the bucket holding the p-th percentile, ms; NaN when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count))
    let seen = 0
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.#counts[bucket] as number
      if (seen >= rank) return (bucket + 1) * BUCKET_MS
    }
    const over = [...this.#over].sort((a, b) => a - b)
    return over[rank - seen - 1] as number
  }

  /** The largest latency recorded (to the bucket's upper edge), ms. */
  max(): number {
    return this.percentile(100)
  }

  merge(other: LatencyHistogram | LatencyHistogramJson): this {
    const json = other instanceof LatencyHistogram ? other.toJSON() : other
    for (const [bucket, count] of json.buckets) {
      this.#counts[bucket] = (this.#counts[bucket] as number) + count
      this.#count += count
    }
    for (const ms of json.over) this.record(ms)
    return this
  }

  toJSON(): LatencyHistogramJson {
    const buckets: [number, number][] = []
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.#counts[bucket] as number
      if (count > 0) buckets.push([bucket, count])
    }
    return { buckets, over: [...this.#over] }
  }
}
