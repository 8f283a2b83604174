/**
 * The deployments of the paper's experiments: one fog host (the gateway the
 * load enters by) and `edges` edge hosts, separate processes on loopback
 * (runtime/domain startDomain) running bench/paper/paper-host-main.ts, with
 * the security-service actors placed as the caller says. With `edgeCapPercent`
 * each edge host process is capped to that share of one core (the edge
 * profile, bench/paper/cpu-cap.ts).
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

export type PaperDomain = {
  domain: Domain
  gateway: string
  cap: CpuCap | undefined
  stop(): Promise<void>
}

/** Starts the domain, caps the edge hosts, and waits until every `ready` actor answers at its host. */
export async function startPaperDomain(options: {
  edges: number
  actors: DomainActorSpec[]
  edgeCapPercent?: number | undefined
  /** Actor → the host whose gateway must answer for it (default fog-1). */
  ready: Readonly<Record<string, string>>
}): Promise<PaperDomain> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-paper-'))
  const cap = options.edgeCapPercent ? createCpuCap('edge', options.edgeCapPercent) : undefined
  const hosts = [
    { id: 'fog-1', role: 'fog' as const, capacity: 16 },
    ...Array.from({ length: options.edges }, (_, i) => ({
      id: `edge-${i + 1}`,
      role: 'edge' as const,
      capacity: 16,
      labels: i === 0 ? { mono: 'yes' } : {},
    })),
  ]
  const domain = await startDomain({
    dir,
    hosts,
    actors: options.actors,
    hostMain: HOST_MAIN,
    hostConfig: {
      kernel: { mailboxCapacity: 16_384, simulateSerialization: false },
      heartbeatIntervalMs: 100,
      suspicionTimeoutMs: 2000,
      connectionLossTimeoutMs: 300,
      requestTimeoutMs: 10_000,
    },
  })
  const stop = async () => {
    await domain.stop()
    cap?.remove()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    for (const [id, host] of domain.hosts)
      if (cap && id.startsWith('edge-')) cap.add(host.process.pid)
    for (const [actor, hostId] of Object.entries(options.ready))
      await waitForActor(domain, actor, hostId)
    return { domain, gateway: domain.gatewayUrl, cap, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Waits until `actor` answers an identity request through `hostId`'s gateway. */
async function waitForActor(domain: Domain, actor: string, hostId: string): Promise<void> {
  const host = domain.hosts.get(hostId)
  if (!host) throw new Error(`the paper domain has no host ${hostId}`)
  const service = SERVICES.find((s) => actor === microActor(s)) ?? 'identity'
  const { url, body } = serviceRequest(host.run.http, actor, service)
  await waitFor(
    async () => {
      const response = await fetch(url, { method: 'POST', body }).catch(() => undefined)
      return response?.status === 200 && ((await response.json()) as { ok?: boolean }).ok === true
    },
    { timeoutMs: 30_000, message: `${actor} answering through ${hostId}` },
  )
}
