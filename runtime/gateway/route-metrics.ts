/**
 * Per-route request counters and latency histograms, rendered in the
 * Prometheus text exposition format. Route labels are route patterns plus
 * the deployed actor name, so label cardinality stays bounded.
 */

/** Histogram bucket upper bounds, seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

type Series = { counts: number[]; sum: number; count: number; byStatus: Map<number, number> }

export class RouteMetrics {
  readonly #series = new Map<string, Series>()

  /** Records one request. */
  observe(route: string, status: number, seconds: number): void {
    let series = this.#series.get(route)
    if (!series) {
      series = { counts: BUCKETS.map(() => 0), sum: 0, count: 0, byStatus: new Map() }
      this.#series.set(route, series)
    }
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= (BUCKETS[i] as number)) {
        series.counts[i] = (series.counts[i] as number) + 1
        break
      }
    }
    series.sum += seconds
    series.count++
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1)
  }

  /** Prometheus text lines for every route seen. */
  render(): string[] {
    const lines = [
      '# HELP vigil_http_requests_total HTTP requests served by the gateway, by route and status.',
      '# TYPE vigil_http_requests_total counter',
    ]
    for (const [route, series] of this.#series) {
      for (const [status, count] of series.byStatus) {
        lines.push(
          `vigil_http_requests_total{route="${escapeLabel(route)}",status="${status}"} ${count}`,
        )
      }
    }
    lines.push(
      '# HELP vigil_http_request_duration_seconds Gateway request latency by route.',
      '# TYPE vigil_http_request_duration_seconds histogram',
    )
    for (const [route, series] of this.#series) {
      let cumulative = 0
      const label = `route="${escapeLabel(route)}"`
      for (let i = 0; i < BUCKETS.length; i++) {
        cumulative += series.counts[i] as number
        lines.push(
          `vigil_http_request_duration_seconds_bucket{${label},le="${BUCKETS[i]}"} ${cumulative}`,
        )
      }
      lines.push(`vigil_http_request_duration_seconds_bucket{${label},le="+Inf"} ${series.count}`)
      lines.push(`vigil_http_request_duration_seconds_sum{${label}} ${series.sum}`)
      lines.push(`vigil_http_request_duration_seconds_count{${label}} ${series.count}`)
    }
    return lines
  }
}

/** Escapes a Prometheus label value. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
