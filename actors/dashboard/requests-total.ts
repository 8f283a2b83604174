/**
 * The number of HTTP requests a gateway has served, read from its
 * Prometheus text (`vigil_http_requests_total`, summed over routes and
 * statuses): the dashboard's req/s series is the rate of this total.
 */

const LINE = /^vigil_http_requests_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm

/** Sums every `vigil_http_requests_total` sample in a /metrics body; 0 when there is none. */
export function requestsTotal(metricsText: string): number {
  let total = 0
  for (const match of metricsText.matchAll(LINE)) total += Number(match[1])
  return total
}
