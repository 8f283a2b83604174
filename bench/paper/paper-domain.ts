/**
 * The deployments of the paper's experiments: one fog host (the gateway the
 * load enters by) and `edges` edge hosts, separate processes on loopback
 * (runtime/domain startDomain) running bench/paper/paper-host-main.ts, with
 * the security-service actors placed as the caller says. With `edgeCapPercent`
 * each edge host process is capped to that share of one core, each in its own
 * cgroup (the edge profile, bench/paper/cpu-cap.ts: every Pi has its own core).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Domain, type DomainActorSpec, startDomain } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import { type CpuCap, createCpuCap } from './cpu-cap.ts'
import { microActor, SERVICES, type ServiceName, serviceRequest } from './service-requests.ts'

const MODULE = join(import.meta.dir, 'security-service-actors.ts')
const HOST_MAIN = join(import.meta.dir, 'paper-host-main.ts')
const EXPORTS: Record<ServiceName, string> = {
  identity: 'identityService',
  access: 'accessService',
  integrity: 'integrityService',
  enf: 'enfService',
  privacy: 'privacyService',
}

/** Where Micro service actor `actor` (e.g. `identity-service`) comes from: module and export. */
export function replicaSource(actor: string): { module: string; export: string } {
  const service = SERVICES.find((s) => microActor(s) === actor)
  if (!service) throw new RangeError(`${actor} is not a Micro service actor`)
  return { module: MODULE, export: EXPORTS[service] }
}

/** Readiness probes give up after 1 s each (the next probe follows), not the 10 s request deadline. */
const PROBE = { 'x-vigil-timeout-ms': '1000' }

/** The five Micro service actors, `replicas` each, on hosts of `role` only. */
export function microActors(role: 'fog' | 'edge', replicas: number): DomainActorSpec[] {
  return SERVICES.map((service) => ({
    name: microActor(service),
    module: MODULE,
    export: EXPORTS[service],
    placement: { role, replicas, fallback: 'none' as const },
  }))
}

/** The Mono actor (all five handlers, one worker) named `name`, on a host with `labels`. */
export function monoActor(
  name: string,
  role: 'fog' | 'edge',
  labels: Record<string, string> = {},
): DomainActorSpec {
  return {
    name,
    module: MODULE,
    export: 'monoService',
    placement: { role, labels, fallback: 'none' },
  }
}

/** An `actor.crashed` or `actor.restarted` line of a host's log (`at`: epoch ms when read). */
export type LifecycleEvent = { at: number; host: string; type: string; actor: string }

const LIFECYCLE = /"(actor\.crashed|actor\.restarted)".*?"actor":"([^"]+)"/

export type PaperDomain = {
  domain: Domain
  /** The fog host's gateway. */
  gateway: string
  /** The gateway URL of `hostId` now (a restarted host listens on a new port). */
  gatewayOf(hostId: string): string
  /** The first edge host's cap (all are alike), for its description. */
  cap: CpuCap | undefined
  /** Each edge host's own cap. */
  caps: ReadonlyMap<string, CpuCap>
  /** Membership events (a peer declared down or suspect) seen in the hosts' logs. */
  peerEvents: string[]
  /** Worker crashes and restarts seen in the hosts' logs, with when this process read them. */
  lifecycle: LifecycleEvent[]
  stop(): Promise<void>
}

/** Collects membership events and worker crashes/restarts from the hosts' log lines. */
function watchHostLogs(peerEvents: string[], lifecycle: LifecycleEvent[]) {
  return (hostId: string, line: string) => {
    if (line.includes('"host.peer_down"') || line.includes('"host.peer_suspect"'))
      peerEvents.push(`${hostId}: ${line.slice(0, 160)}`)
    const event = LIFECYCLE.exec(line)
    if (event)
      lifecycle.push({
        at: performance.timeOrigin + performance.now(),
        host: hostId,
        type: event[1] as string,
        actor: event[2] as string,
      })
  }
}

/** Starts the domain, caps the edge hosts, and waits until every `ready` actor answers at its host. */
export async function startPaperDomain(options: {
  edges: number
  actors: DomainActorSpec[]
  edgeCapPercent?: number | undefined
  /** Actor → the host whose gateway must answer for it (default fog-1). */
  ready: Readonly<Record<string, string>>
  /** Also wait until every Micro service answers from each of these hosts. */
  replicasOn?: readonly string[] | undefined
  /** Runs before the edge hosts are capped (a warm-up load, so JIT compilation is not what is capped). */
  beforeCap?: ((paper: PaperDomain) => Promise<void>) | undefined
}): Promise<PaperDomain> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-paper-'))
  const hosts = [
    { id: 'fog-1', role: 'fog' as const, capacity: 16 },
    ...Array.from({ length: options.edges }, (_, i) => ({
      id: `edge-${i + 1}`,
      role: 'edge' as const,
      capacity: 16,
      labels: i === 0 ? { mono: 'yes' } : {},
    })),
  ]
  const caps = new Map<string, CpuCap>()
  const percent = options.edgeCapPercent
  if (percent) for (const host of hosts.slice(1)) caps.set(host.id, createCpuCap(host.id, percent))
  const cap = caps.get('edge-1')
  const peerEvents: string[] = []
  const lifecycle: LifecycleEvent[] = []
  const domain = await startDomain({
    dir,
    hosts,
    actors: options.actors,
    hostMain: HOST_MAIN,
    onLog: watchHostLogs(peerEvents, lifecycle),
    hostConfig: {
      kernel: { mailboxCapacity: 16_384, simulateSerialization: false },
      // A loaded (or capped) host may miss a beat: suspect late; a killed one closes its sockets.
      heartbeatIntervalMs: 250,
      suspicionTimeoutMs: 5000,
      connectionLossTimeoutMs: 500,
      requestTimeoutMs: 10_000,
    },
  })
  const stop = async () => {
    await domain.stop()
    for (const one of caps.values()) one.remove()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    // Capped once the actors answer: the edge profile is for serving, not for loading workers.
    for (const [actor, hostId] of Object.entries(options.ready))
      await waitForActor(domain, actor, hostId)
    const gatewayOf = (hostId: string) => {
      const host = domain.hosts.get(hostId)
      if (!host) throw new Error(`the paper domain has no host ${hostId}`)
      return host.run.http
    }
    const paper = {
      domain,
      gateway: domain.gatewayUrl,
      gatewayOf,
      cap,
      caps,
      stop,
      peerEvents,
      lifecycle,
    }
    if (options.replicasOn) await waitForReplicas(paper, options.replicasOn)
    await options.beforeCap?.(paper)
    for (const [id, host] of domain.hosts) caps.get(id)?.add(host.process.pid)
    return paper
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * Waits until `actor` answers an identity request through `hostId`'s gateway (up to 2 min:
 * loading 25 workers took over 30 s at load average 25).
 */
async function waitForActor(domain: Domain, actor: string, hostId: string): Promise<void> {
  const host = domain.hosts.get(hostId)
  if (!host) throw new Error(`the paper domain has no host ${hostId}`)
  const service = SERVICES.find((s) => actor === microActor(s)) ?? 'identity'
  const { url, body } = serviceRequest(host.run.http, actor, service)
  await waitFor(
    async () => {
      const response = await fetch(url, { method: 'POST', body, headers: PROBE }).catch(
        () => undefined,
      )
      return response?.status === 200 && ((await response.json()) as { ok?: boolean }).ok === true
    },
    { timeoutMs: 120_000, message: `${actor} answering through ${hostId}` },
  )
}

/** Waits until every Micro service answers from each of `hosts` (round-robin over its replicas). */
export async function waitForReplicas(paper: PaperDomain, hosts: readonly string[]): Promise<void> {
  for (const service of SERVICES) {
    const { url, body } = serviceRequest(paper.gateway, microActor(service), service)
    const seen = new Set<string>()
    await waitFor(
      async () => {
        const response = await fetch(url, { method: 'POST', body, headers: PROBE }).catch(
          () => undefined,
        )
        if (response?.status === 200) seen.add(((await response.json()) as { host: string }).host)
        return hosts.every((host) => seen.has(host))
      },
      {
        timeoutMs: 120_000,
        intervalMs: 5,
        message: `${microActor(service)} answering from ${hosts.join(', ')}`,
      },
    )
  }
}

/** Starts killed hosts again (capped like the others) and waits until their replicas answer. */
export async function restoreHosts(
  paper: PaperDomain,
  hosts: readonly string[],
  all: readonly string[],
) {
  const restarted = []
  for (const id of hosts) restarted.push(await paper.domain.restart(id))
  await waitForReplicas(paper, all)
  for (const host of restarted) paper.caps.get(host.id)?.add(host.process.pid)
}
