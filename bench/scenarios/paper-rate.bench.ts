/**
 * `bun run bench paper-rate [--json] [--quick]`: Figure 7 of the BlendSPS
 * paper on vigil — latency as the send rate grows. One fog host (its own
 * process) runs the security-service actors; open-loop load from a separate
 * process (bench/harness/open-loop-client.ts: constant-rate schedule, latency
 * from each request's intended send time, so coordinated omission counts) at
 * 1, 2, 5, 10, 20, 50, 100 req/s as the paper did, then 1k, 2k, 5k, 10k, 20k…
 * until the service saturates (served < 90 % of offered, or > 1 % errors).
 * p50/p99 per rate and service. The paper's "TPS" axis was a burst size with
 * the mean burst time; here it is a sustained rate with percentiles.
 * --quick: identity only, 10, 100, 1k, 5k req/s, 1 s each.
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { type HttpLoadResult, runHttpLoad } from '../harness/http-load.ts'
import { round } from '../harness/stats.ts'
import { writeResults } from '../harness/write-results.ts'
import { PAPER } from '../paper/paper-anchors.ts'
import { microActors, startPaperDomain } from '../paper/paper-domain.ts'
import { paperOptions, progressLog } from '../paper/paper-options.ts'
import { linePlot } from '../paper/paper-plots.ts'
import { microActor, type ServiceName, serviceRequest } from '../paper/service-requests.ts'

const PAPER_RATES = [1, 2, 5, 10, 20, 50, 100]
const HIGH_RATES = [1000, 2000, 5000, 10_000, 20_000, 40_000, 80_000]

export type RatePoint = { service: ServiceName; offered: number } & HttpLoadResult

const saturated = (r: HttpLoadResult, offered: number) =>
  r.requestsPerSecond < 0.9 * offered || r.non2xx + r.errors > 0.01 * Math.max(1, r.total)

/** One service's steps, stopping at saturation. */
async function sweep(
  log: (t: string) => void,
  gateway: string,
  service: ServiceName,
  quick: boolean,
) {
  const { url, body } = serviceRequest(gateway, microActor(service), service)
  const rates = quick ? [10, 100, 1000, 5000] : [...PAPER_RATES, ...HIGH_RATES]
  const points: RatePoint[] = []
  for (const offered of rates) {
    const durationSeconds = quick ? 1 : offered < 1000 ? Math.max(1.5, 10 / offered) : 2
    const connections = offered < 1000 ? 4 : 64
    const r = await runHttpLoad({ url, body, connections, durationSeconds, rate: offered })
    points.push({ service, offered, ...r })
    log(
      `${service} offered ${offered}/s: served ${Math.round(r.requestsPerSecond)}/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms (send lag p99 ${r.sendLagP99Ms} ms) non2xx ${r.non2xx} errors ${r.errors}`,
    )
    if (offered >= 1000 && saturated(r, offered)) break
  }
  return points
}

/** Runs the sweeps on a one-fog-host domain. */
export async function runRateSweeps(log: (t: string) => void, quick: boolean) {
  const services: ServiceName[] = quick ? ['identity'] : ['identity', 'access', 'integrity']
  log('starting one fog host with the security-service actors…')
  const paper = await startPaperDomain({
    edges: 0,
    actors: microActors('fog', 1),
    ready: Object.fromEntries(services.map((s) => [microActor(s), 'fog-1'])),
  })
  try {
    const points: RatePoint[] = []
    for (const service of services)
      points.push(...(await sweep(log, paper.gateway, service, quick)))
    return points
  } finally {
    await paper.stop()
  }
}

export function rateFigures(points: readonly RatePoint[]) {
  const identity = points.filter((p) => p.service === 'identity')
  const at100 = identity.find((p) => p.offered === 100) ?? identity.find((p) => p.offered >= 100)
  const best = Math.max(...identity.map((p) => p.requestsPerSecond))
  return {
    identity_p50_ms_at_100: at100?.p50Ms ?? null,
    identity_p99_ms_at_100: at100?.p99Ms ?? null,
    saturation_req_per_s: Math.round(best),
    // The paper's 100-request AuthID burst took 10.98 s: ~9.1 req/s served one at a time.
    saturation_ratio_vs_paper: round(best / (100 / PAPER.identityBurstS[100]), 0),
  }
}

export function ratePlot(points: readonly RatePoint[]) {
  const rows = points.flatMap((p) => [
    { service: p.service, offered: p.offered, percentile: 'p50', ms: Math.max(0.01, p.p50Ms) },
    { service: p.service, offered: p.offered, percentile: 'p99', ms: Math.max(0.01, p.p99Ms) },
  ])
  return linePlot({
    title: 'Latency vs offered rate (open loop, from intended send time)',
    rows,
    x: { field: 'offered', title: 'offered load (req/s, log)', log: true },
    y: { field: 'ms', title: 'latency (ms, log)', log: true },
    series: 'service',
    dash: 'percentile',
  })
}

export const scenario: BenchScenario = {
  name: 'paper-rate',
  description:
    'paper Fig. 7: open-loop latency p50/p99 from 1 req/s to saturation, per security service',
  async run({ log, args }) {
    const options = paperOptions(args)
    const progress = progressLog(log)
    const points = await runRateSweeps(progress, options.quick)
    const figures = rateFigures(points)
    progress(
      `identity at 100 req/s: p50 ${figures.identity_p50_ms_at_100} ms p99 ${figures.identity_p99_ms_at_100} ms; saturation ${figures.saturation_req_per_s} req/s (${figures.saturation_ratio_vs_paper}× the paper's ~9 req/s)`,
    )
    const written = await writeResults(
      'paper-rate',
      { points, figures },
      { 'fig7-latency-vs-rate': ratePlot(points) },
    )
    progress(`wrote ${written.json}`)
    return { ...figures, results: written }
  },
}
