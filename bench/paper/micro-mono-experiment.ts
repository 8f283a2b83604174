/**
 * Figures 8 and 9 of the paper on vigil: Micro (the five security services as
 * separate stateless actors, one replica of each on each of four edge hosts,
 * behind the fog host's gateway) against Mono (the same handlers in one actor,
 * one worker, on one edge host behind the same gateway).
 * - `stepToSaturation`: open-loop load (separate process, constant rate) of a
 *   mix of the five services' requests, doubling the rate until less than 90 %
 *   is served or more than 1 % fails.
 * - `dropoutRun`: a paced load that remembers every request (bench/faults/
 *   paced-load.ts) at a fixed rate; at `killAtS` a share of the Micro replicas
 *   is killed — actor workers (`system.killWorker` through SIGUSR2, the
 *   supervisor restarts them) or whole edge hosts (SIGKILL, the survivors take
 *   over). Acknowledged = a 2xx reply carrying the request's own id and
 *   `ok: true`; lost = a 2xx reply that does not.
 */
import { writeFileSync } from 'node:fs'
import { runPacedLoad } from '../faults/paced-load.ts'
import { runHttpLoad } from '../harness/http-load.ts'
import { round } from '../harness/stats.ts'
import type { PaperDomain } from './paper-domain.ts'
import { MESSAGE, microActor, requestFields, SERVICES } from './service-requests.ts'

export type Deployment = 'micro' | 'mono'
type Log = (text: string) => void
const CLIENTS_PER_SERVICE = 4

const actorOf = (deployment: Deployment, service: (typeof SERVICES)[number]) =>
  deployment === 'mono' ? 'mono-service' : microActor(service)

/** The mix: each service in turn, four clients each. */
export function mixedTargets(deployment: Deployment) {
  return Array.from({ length: CLIENTS_PER_SERVICE }, (_, client) =>
    SERVICES.map((service) => ({
      path: `/v1/actors/${actorOf(deployment, service)}/${MESSAGE[service]}`,
      fields: requestFields(service, client),
    })),
  ).flat()
}

export type Step = {
  deployment: Deployment
  offered: number
  served: number
  p50_ms: number
  p99_ms: number
  failed: number
}

/** Doubles the offered rate from `startRate` until the deployment saturates. */
export async function stepToSaturation(
  log: Log,
  gateway: string,
  deployment: Deployment,
  startRate: number,
  seconds: number,
  maxSteps = 9,
) {
  const targets = mixedTargets(deployment).map((t, i) => ({
    path: t.path,
    body: JSON.stringify({ id: i, ...t.fields }),
  }))
  const steps: Step[] = []
  for (let offered = startRate, i = 0; i < maxSteps; offered *= 2, i++) {
    const r = await runHttpLoad({
      url: `${gateway}/`,
      body: '',
      targets,
      connections: 64,
      durationSeconds: seconds,
      rate: offered,
    })
    const step = {
      deployment,
      offered,
      served: Math.round(r.requestsPerSecond),
      p50_ms: r.p50Ms,
      p99_ms: r.p99Ms,
      failed: r.non2xx + r.errors,
    }
    steps.push(step)
    log(
      `${deployment} offered ${offered}/s: served ${step.served}/s p50 ${step.p50_ms} ms p99 ${step.p99_ms} ms failed ${step.failed}`,
    )
    if (r.requestsPerSecond < 0.9 * offered || step.failed > 0.01 * Math.max(1, r.total)) break
  }
  return steps
}

export type DropoutKind = 'none' | 'actors' | 'hosts'
export type DropoutResult = {
  kind: DropoutKind
  requested_pct: number
  killed: string[]
  killed_pct: number
  offered: number
  served_before: number
  served_after: number
  recovery_ms: number
  acknowledged: number
  acknowledged_lost: number
  failed: number
  unanswered: number
  codes: Record<string, number>
  /** Acknowledged replies per 100 ms from the start (Figure 9's time series). */
  timeline: number[]
}

const EDGES = ['edge-1', 'edge-2', 'edge-3', 'edge-4']

/** Which replicas (host/actor) or hosts a dropout of `pct` % kills. */
export function victims(
  kind: DropoutKind,
  pct: number,
): { hosts: string[]; actors: [string, string][] } {
  if (kind === 'none' || pct === 0) return { hosts: [], actors: [] }
  if (kind === 'hosts')
    return {
      hosts: EDGES.slice(0, Math.max(1, Math.round((pct / 100) * EDGES.length))),
      actors: [],
    }
  const count = Math.round((pct / 100) * EDGES.length * SERVICES.length)
  const actors = Array.from({ length: count }, (_, j): [string, string] => [
    EDGES[j % EDGES.length] as string,
    microActor(SERVICES[j % SERVICES.length] as (typeof SERVICES)[number]),
  ])
  return { hosts: [], actors }
}

/** Kills the victims: SIGUSR2 to each host with its kill list, or SIGKILL. */
async function kill(paper: PaperDomain, chosen: ReturnType<typeof victims>) {
  for (const host of chosen.hosts) await paper.domain.kill(host)
  const byHost = new Map<string, string[]>()
  for (const [host, actor] of chosen.actors) byHost.set(host, [...(byHost.get(host) ?? []), actor])
  for (const [hostId, actors] of byHost) {
    const host = paper.domain.hosts.get(hostId)
    if (!host) continue
    writeFileSync(`${host.configFile}.kill`, JSON.stringify(actors))
    host.process.kill('SIGUSR2')
  }
}

/** One paced run at `rate`, killing `pct` % of the replicas (or hosts) at `killAtS`. */
export async function dropoutRun(
  paper: PaperDomain,
  options: {
    kind: DropoutKind
    pct: number
    rate: number
    seconds: number
    killAtS: number
    firstId: number
  },
) {
  const targets = mixedTargets('micro').map((t) => ({
    url: `${paper.gateway}${t.path}`,
    fields: t.fields,
  }))
  const chosen = victims(options.kind, options.pct)
  let killedAt = Number.NaN
  const killing = (async () => {
    await Bun.sleep(options.killAtS * 1000)
    killedAt = performance.timeOrigin + performance.now()
    if (options.kind !== 'none') await kill(paper, chosen)
  })()
  const load = await runPacedLoad({
    url: '',
    rate: options.rate,
    seconds: options.seconds,
    firstId: options.firstId,
    maxInFlight: 4000,
    targets,
  })
  await killing
  return { load, killedAt, chosen }
}

/** The figures of one dropout run from its per-request record. */
export function analyseDropout(
  run: Awaited<ReturnType<typeof dropoutRun>>,
  options: { kind: DropoutKind; pct: number; rate: number; seconds: number },
): DropoutResult {
  const { load, killedAt, chosen } = run
  const start = Math.min(...Array.from(load.sentAt.subarray(0, Math.min(load.sent, 100))))
  const bins = new Array<number>(Math.ceil(options.seconds * 10) + 1).fill(0)
  let acknowledged = 0
  let failed = 0
  let unanswered = 0
  for (let i = 0; i < load.sent; i++) {
    const status = load.status[i] as number
    if (status === 0) unanswered++
    else if (status >= 300) failed++
    else {
      acknowledged++
      const bin = Math.floor(((load.doneAt[i] as number) - start) / 100)
      if (bin >= 0 && bin < bins.length) bins[bin] = (bins[bin] as number) + 1
    }
  }
  const killBin = Math.floor((killedAt - start) / 100)
  const rate = (from: number, to: number) =>
    (10 * bins.slice(from, to).reduce((a, b) => a + b, 0)) / Math.max(1, to - from)
  const endBin = Math.floor(options.seconds * 10)
  const before = rate(5, killBin)
  const after = rate(Math.min(endBin - 5, killBin + 10), endBin)
  let recoveredBin = killBin
  while (recoveredBin + 3 <= endBin && rate(recoveredBin, recoveredBin + 3) < 0.9 * after)
    recoveredBin++
  const replicas = EDGES.length * SERVICES.length
  const killedReplicas = chosen.hosts.length * SERVICES.length + chosen.actors.length
  return {
    kind: options.kind,
    requested_pct: options.pct,
    killed: [...chosen.hosts, ...chosen.actors.map(([h, a]) => `${h}/${a}`)],
    killed_pct: round((100 * killedReplicas) / replicas, 1),
    offered: options.rate,
    served_before: Math.round(before),
    served_after: Math.round(after),
    recovery_ms: options.kind === 'none' ? 0 : Math.max(0, recoveredBin * 100 - (killedAt - start)),
    acknowledged,
    acknowledged_lost: load.mismatched,
    failed,
    unanswered,
    codes: load.codes,
    timeline: bins.map((count) => count * 10),
  }
}
