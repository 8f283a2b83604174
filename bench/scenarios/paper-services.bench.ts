/**
 * `bun run bench paper-services [--json] [--quick] [--edge-cap PCT]`: Figure 6
 * of the BlendSPS paper on vigil — time per request of each security service
 * (identity, access, integrity, ENF, privacy; bench/paper/security-service-
 * handlers.ts) on a fog host and on an edge-profile host (its process capped
 * to `--edge-cap` % of one core, default 24: the budget at which identity's service
 * time at saturation is ~7× the fog host's, the paper's Pi 3 B+ to desktop ratio; see
 * docs/experiments.md for the calibration; bench/paper/cpu-cap.ts), each reached through its own gateway:
 * - inside the actor: the handler's own time, returned in each reply;
 * - through the gateway: one request at a time from this process;
 * - service time at saturation: 1000 / (req/s served by autocannon, 16
 *   connections), i.e. CPU per request ÷ the host's budget. A CPU quota only
 *   bites when the host wants more than its share, so the sequential figures
 *   barely change under the cap; the saturation figure is where the edge
 *   profile shows (docs/experiments.md explains the calibration).
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { runHttpLoad } from '../harness/http-load.ts'
import { percentile, round } from '../harness/stats.ts'
import { writeResults } from '../harness/write-results.ts'
import { PAPER } from '../paper/paper-anchors.ts'
import { monoActor, startPaperDomain } from '../paper/paper-domain.ts'
import { numberOption, paperOptions, progressLog } from '../paper/paper-options.ts'
import { barPlot } from '../paper/paper-plots.ts'
import { SERVICES, type ServiceName, serviceRequest } from '../paper/service-requests.ts'

const TIERS = [
  { tier: 'fog', host: 'fog-1', actor: 'mono-fog' },
  { tier: 'edge profile', host: 'edge-1', actor: 'mono-edge' },
] as const

type Row = {
  tier: string
  service: ServiceName
  actor_ms_p50: number
  gateway_ms_p50: number
  gateway_ms_p99: number
  saturation_ms_per_req: number
}

/** `count` sequential requests: client round trips and the handler's own times, ms. */
async function sequential(url: string, body: string, count: number) {
  const gateway: number[] = []
  const actor: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const response = await fetch(url, { method: 'POST', body })
    const reply = (await response.json()) as { ok?: boolean; us?: number }
    gateway.push(performance.now() - started)
    if (response.status !== 200 || reply.ok !== true)
      throw new Error(`${url} answered ${response.status} ${JSON.stringify(reply)}`)
    actor.push((reply.us ?? Number.NaN) / 1000)
  }
  return { gateway, actor }
}

async function measureTier(
  log: (t: string) => void,
  gatewayUrl: string,
  tier: string,
  actor: string,
  quick: boolean,
) {
  const rows: Row[] = []
  for (const service of SERVICES) {
    const { url, body } = serviceRequest(gatewayUrl, actor, service)
    const s = await sequential(url, body, quick ? 20 : 200)
    const saturation = await runHttpLoad({
      url,
      body,
      connections: 16,
      durationSeconds: quick ? 0.5 : 2,
    })
    const row = {
      tier,
      service,
      actor_ms_p50: round(percentile(s.actor, 50), 3),
      gateway_ms_p50: round(percentile(s.gateway, 50), 2),
      gateway_ms_p99: round(percentile(s.gateway, 99), 2),
      saturation_ms_per_req: round(1000 / Math.max(1, saturation.requestsPerSecond), 3),
    }
    rows.push(row)
    log(
      `${tier} ${service}: inside the actor p50 ${row.actor_ms_p50} ms; through the gateway p50 ${row.gateway_ms_p50} ms p99 ${row.gateway_ms_p99} ms; at saturation ${Math.round(saturation.requestsPerSecond)} req/s = ${row.saturation_ms_per_req} ms per request`,
    )
  }
  return rows
}

function servicesFigures(rows: readonly Row[], cap: string | undefined) {
  const get = (tier: string, service: string) =>
    rows.find((r) => r.tier === tier && r.service === service)
  const fogId = get('fog', 'identity')
  const edgeId = get('edge profile', 'identity')
  return {
    edge_profile_identity_ms_p50: edgeId?.gateway_ms_p50 ?? null,
    edge_profile_identity_actor_ms_p50: edgeId?.actor_ms_p50 ?? null,
    edge_profile_identity_saturation_ms: edgeId?.saturation_ms_per_req ?? null,
    fog_identity_ms_p50: fogId?.gateway_ms_p50 ?? null,
    fog_identity_actor_ms_p50: fogId?.actor_ms_p50 ?? null,
    edge_over_fog_saturation_ratio: round(
      (edgeId?.saturation_ms_per_req ?? Number.NaN) / (fogId?.saturation_ms_per_req ?? Number.NaN),
      2,
    ),
    paper_edge_over_fog_identity_ratio: round(
      PAPER.serviceMs.edge.identity / PAPER.serviceMs.fog.identity,
      2,
    ),
    edge_cap: cap,
    services: rows,
  }
}

function servicesPlots(rows: readonly Row[]) {
  const paperRows = (['edge', 'fog'] as const).flatMap((tier) =>
    Object.entries(PAPER.serviceMs[tier]).map(([service, ms]) => ({
      service,
      series: `paper ${tier === 'edge' ? 'Pi' : 'desktop'}`,
      ms,
    })),
  )
  const ours = rows.flatMap((r) => [
    { service: r.service, series: `vigil ${r.tier}, gateway p50`, ms: r.gateway_ms_p50 },
    {
      service: r.service,
      series: `vigil ${r.tier}, in actor p50`,
      ms: Math.max(0.001, r.actor_ms_p50),
    },
  ])
  const saturation = rows.map((r) => ({
    service: r.service,
    series: `vigil ${r.tier}`,
    ms: r.saturation_ms_per_req,
  }))
  return {
    'fig6-service-time': barPlot({
      title: 'Time per request per security service (paper vs vigil)',
      rows: [...paperRows, ...ours],
      x: { field: 'service', title: 'service' },
      y: { field: 'ms', title: 'ms (log)', log: true },
      group: 'series',
    }),
    'fig6-service-time-at-saturation': barPlot({
      title: 'Service time at saturation (1000 / req/s), fog vs edge profile',
      rows: saturation,
      x: { field: 'service', title: 'service' },
      y: { field: 'ms', title: 'ms per request' },
      group: 'series',
    }),
  }
}

export const scenario: BenchScenario = {
  name: 'paper-services',
  description:
    'paper Fig. 6: per security service time inside the actor and through the gateway, fog vs edge profile',
  async run({ log, args }) {
    const options = paperOptions(args)
    const progress = progressLog(log)
    const cap = numberOption(args, 'edge-cap', 24)
    progress(`starting fog-1 and edge-1 (edge-1 capped at ${cap} % of a core once warm)…`)
    const paper = await startPaperDomain({
      edges: 1,
      actors: [monoActor('mono-fog', 'fog'), monoActor('mono-edge', 'edge')],
      edgeCapPercent: cap,
      ready: { 'mono-fog': 'fog-1', 'mono-edge': 'edge-1' },
      beforeCap: async (p) => {
        for (const { host, actor } of TIERS) {
          const http = p.domain.hosts.get(host)?.run.http as string
          for (const service of SERVICES) {
            const { url, body } = serviceRequest(http, actor, service)
            await sequential(url, body, options.quick ? 20 : 100)
          }
        }
      },
    })
    try {
      progress(`edge profile: ${paper.cap?.description}`)
      const rows: Row[] = []
      for (const { tier, host, actor } of TIERS) {
        const http = paper.domain.hosts.get(host)?.run.http as string
        rows.push(...(await measureTier(progress, http, tier, actor, options.quick)))
      }
      const figures = servicesFigures(rows, paper.cap?.description)
      const written = await writeResults('paper-services', { rows, figures }, servicesPlots(rows))
      progress(`wrote ${written.json}`)
      return { ...figures, results: written }
    } finally {
      await paper.stop()
    }
  },
}
