/**
 * Figures 8 and 9 of the paper on vigil: Micro (the five security services as
 * separate stateless actors, one replica of each on each of four edge hosts)
 * against Mono (the same handlers in one actor, one worker, on one edge host).
 * The clients go straight to the service hosts' gateways, as clients behind a
 * load balancer or DNS would: Micro's spread evenly over the four edge
 * gateways (each host serves from its own replica; the router prefers a local
 * one), Mono's all to edge-1's. The fog host takes no part in serving (it was
 * the single entry of an earlier version, which made one gateway forward every
 * request over RPC, so Micro did more work per request than Mono).
 * - `stepToSaturation`: open-loop load (separate process, constant rate) of a
 *   mix of the five services' requests, doubling the rate until less than 90 %
 *   is served or more than 1 % fails; with each host's CPU over the step.
 * - `dropoutRun`: a paced load that remembers every request (bench/faults/
 *   paced-load.ts) at a fixed rate; at `killAtS` a share of the Micro replicas
 *   is killed, in one of three ways (bench/paper/paper-host-main.ts):
 *   `actors`, the paper's dropout — each victim's worker is killed and the
 *   replica kept out for the rest of the run (stopped at its host, no
 *   restart), restored between runs; `restarts` — the workers are killed and
 *   the supervisor restarts them at once (each restart boots a worker on the
 *   capped host); `hosts` — whole edge hosts SIGKILLed, restarted between
 *   runs. Acknowledged = a 2xx reply carrying the request's own id and
 *   `ok: true`; lost = a 2xx reply that does not.
 */
import { writeFileSync } from 'node:fs'
import { runPacedLoad } from '../faults/paced-load.ts'
import { runHttpLoad } from '../harness/http-load.ts'
import { cpuSeconds } from '../harness/process-usage.ts'
import { round } from '../harness/stats.ts'
import { type PaperDomain, replicaSource } from './paper-domain.ts'
import type { ReplicaOrder } from './paper-host-main.ts'
import { MESSAGE, microActor, requestFields, SERVICES } from './service-requests.ts'

export type Deployment = 'micro' | 'mono'
type Log = (text: string) => void
const CLIENTS_PER_SERVICE = 4

const actorOf = (deployment: Deployment, service: (typeof SERVICES)[number]) =>
  deployment === 'mono' ? 'mono-service' : microActor(service)

const EDGES = ['edge-1', 'edge-2', 'edge-3', 'edge-4']

/** The gateways a deployment's clients use: Micro every edge host's, Mono edge-1's. */
export const entryHosts = (deployment: Deployment) => (deployment === 'mono' ? ['edge-1'] : EDGES)

/**
 * The mix: each service in turn, four clients each; target i enters by gateway i mod the
 * number of gateways (20 targets over 4 gateways: each gets every service equally).
 */
export function mixedTargets(deployment: Deployment, origins: readonly string[]) {
  return Array.from({ length: CLIENTS_PER_SERVICE }, (_, client) =>
    SERVICES.map((service) => ({
      path: `/v1/actors/${actorOf(deployment, service)}/${MESSAGE[service]}`,
      fields: requestFields(service, client),
    })),
  )
    .flat()
    .map((t, i) => ({ ...t, origin: origins[i % origins.length] as string }))
}

export type Step = {
  deployment: Deployment
  offered: number
  served: number
  p50_ms: number
  p99_ms: number
  failed: number
  /** % of one core over the step's wall time: each host process, and the load generator. */
  cpu_pct: Record<string, number>
  /** Edge profile: % of the 100 ms periods in which each capped host was throttled. */
  throttled_pct: Record<string, number>
}

/** CPU seconds of every host process, and each cap's throttling counters, now. */
function usage(paper: PaperDomain) {
  const cpu = new Map([...paper.domain.hosts].map(([id, h]) => [id, cpuSeconds(h.process.pid)]))
  const throttle = new Map([...paper.caps].map(([id, cap]) => [id, cap.stat()]))
  return { cpu, throttle, at: performance.now() }
}

/** Per-host CPU (% of a core) and throttled share of periods between two `usage` readings. */
function usageBetween(a: ReturnType<typeof usage>, b: ReturnType<typeof usage>) {
  const wallS = (b.at - a.at) / 1000
  const cpu_pct: Record<string, number> = {}
  for (const [id, end] of b.cpu)
    cpu_pct[id] = round((100 * (end - (a.cpu.get(id) ?? 0))) / wallS, 0)
  const throttled_pct: Record<string, number> = {}
  for (const [id, end] of b.throttle) {
    const start = a.throttle.get(id) ?? { periods: 0, throttled: 0, throttledMs: 0 }
    const periods = Math.max(1, end.periods - start.periods)
    throttled_pct[id] = round((100 * (end.throttled - start.throttled)) / periods, 0)
  }
  return { cpu_pct, throttled_pct, wallS }
}

const brief = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')

/** Doubles the offered rate from `startRate` until the deployment saturates. */
export async function stepToSaturation(
  log: Log,
  paper: PaperDomain,
  deployment: Deployment,
  startRate: number,
  seconds: number,
  maxSteps = 9,
) {
  const origins = entryHosts(deployment).map((id) => paper.gatewayOf(id))
  const targets = mixedTargets(deployment, origins).map((t, i) => ({
    path: t.path,
    origin: t.origin,
    body: JSON.stringify({ id: i, ...t.fields }),
  }))
  const steps: Step[] = []
  for (let offered = startRate, i = 0; i < maxSteps; offered *= 2, i++) {
    const before = usage(paper)
    const r = await runHttpLoad({
      url: `${origins[0]}/`,
      body: '',
      targets,
      connections: 64,
      durationSeconds: seconds,
      rate: offered,
    })
    const used = usageBetween(before, usage(paper))
    used.cpu_pct.generator = round((r.cpuMs ?? 0) / (10 * used.wallS), 0)
    const step = {
      deployment,
      offered,
      served: Math.round(r.requestsPerSecond),
      p50_ms: r.p50Ms,
      p99_ms: r.p99Ms,
      failed: r.non2xx + r.errors,
      cpu_pct: used.cpu_pct,
      throttled_pct: used.throttled_pct,
    }
    steps.push(step)
    log(
      `${deployment} offered ${offered}/s: served ${step.served}/s p50 ${step.p50_ms} ms p99 ${step.p99_ms} ms failed ${step.failed}; CPU % of a core: ${brief(step.cpu_pct)}${paper.caps.size ? `; throttled % of periods: ${brief(step.throttled_pct)}` : ''}`,
    )
    if (r.requestsPerSecond < 0.9 * offered || step.failed > 0.01 * Math.max(1, r.total)) break
  }
  return steps
}

export type DropoutKind = 'none' | 'actors' | 'restarts' | 'hosts'
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
  /** Requests the clients sent again to another gateway after no answer (a killed host). */
  failovers: number
  /** Acknowledged replies per 100 ms from the start (Figure 9's time series). */
  timeline: number[]
}

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

/** Sends each host its part of `actors` as a {@link ReplicaOrder} (SIGUSR2 after writing `<config>.kill`). */
export function orderReplicas(
  paper: PaperDomain,
  op: ReplicaOrder['op'],
  actors: readonly [string, string][],
) {
  const byHost = new Map<string, string[]>()
  for (const [host, actor] of actors) byHost.set(host, [...(byHost.get(host) ?? []), actor])
  for (const [hostId, names] of byHost) {
    const host = paper.domain.hosts.get(hostId)
    if (!host) continue
    const order: ReplicaOrder = {
      op,
      actors: names.map((name) => ({ name, ...replicaSource(name) })),
    }
    writeFileSync(`${host.configFile}.kill`, JSON.stringify(order))
    host.process.kill('SIGUSR2')
  }
}

/** Kills the victims: replicas dropped (kept out) or crashed (restarted), or hosts SIGKILLed. */
async function kill(paper: PaperDomain, kind: DropoutKind, chosen: ReturnType<typeof victims>) {
  for (const host of chosen.hosts) await paper.domain.kill(host)
  orderReplicas(paper, kind === 'restarts' ? 'crash' : 'drop', chosen.actors)
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
  // Each client enters by its own edge gateway and fails over to the next ones (a load balancer).
  const origins = entryHosts('micro').map((id) => paper.gatewayOf(id))
  const targets = mixedTargets('micro', origins).map((t) => {
    const at = origins.indexOf(t.origin)
    const others = [...origins.slice(at + 1), ...origins.slice(0, at)]
    return {
      url: `${t.origin}${t.path}`,
      fields: t.fields,
      alternates: others.map((o) => o + t.path),
    }
  })
  const chosen = victims(options.kind, options.pct)
  let killedAt = Number.NaN
  const killing = (async () => {
    await Bun.sleep(options.killAtS * 1000)
    killedAt = performance.timeOrigin + performance.now()
    if (options.kind !== 'none') await kill(paper, options.kind, chosen)
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
    failovers: load.failovers,
    timeline: bins.map((count) => count * 10),
  }
}
