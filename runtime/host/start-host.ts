/**
 * A vigil host: one process on an edge, fog or cloud machine that joins its
 * domain and runs the actors the placement gives it.
 *
 * {@link startHost} composes, in this order: the host's identity (key and
 * enrollment, host-identity.ts) and deployment (deployment.ts); membership
 * and failure detection (membership.ts); the actor kernel; the
 * location-transparent router (actor-router.ts, the kernel's remote
 * delegate); placement reconciliation (placement-reconciler.ts); rolling
 * hot swap (rolling-swap.ts); the composition's plugins (host-plugins.ts);
 * the authenticated RPC node and what it answers (host-rpc-handler.ts); the
 * HTTP gateway (host-gateway-backend.ts); and the links to peers
 * (peer-links.ts). Stop it with `stop()`, which tells its peers it is leaving.
 */
import type { Caller } from '../actor/caller.ts'
import { hostCaller } from '../actor/caller.ts'
import { type Clock, systemClock, type TimerHandle } from '../clock/clock.ts'
import { createGateway } from '../gateway/create-gateway.ts'
import { serveGateway } from '../gateway/serve-gateway.ts'
import type { Log } from '../log/create-logger.ts'
import { createRpcNode } from '../rpc/create-rpc-node.ts'
import { createTcpTransport } from '../rpc/tcp-transport.ts'
import type { Transport } from '../rpc/transport.ts'
import {
  type ActorRef,
  type ActorSystem,
  createActorSystem,
} from '../system/create-actor-system.ts'
import { ActorRouter } from './actor-router.ts'
import { refuseUncredentialedCallers } from './admit-remote-caller.ts'
import { Deployment } from './deployment.ts'
import type { HostConfig } from './host-config.ts'
import { hostGatewayBackend } from './host-gateway-backend.ts'
import { loadHostIdentity } from './host-identity.ts'
import type { EnrolledPeer, HostPluginFactory, HostServices } from './host-plugins.ts'
import { hostRpcHandler } from './host-rpc-handler.ts'
import type { SwapRequest } from './host-rpc-messages.ts'
import { type HostStatus, hostStatus } from './host-status.ts'
import { type HostInfo, Membership } from './membership.ts'
import { PeerLinks } from './peer-links.ts'
import type { Placement } from './place-actors.ts'
import { PlacementReconciler } from './placement-reconciler.ts'
import { type HostSwapResult, RollingSwap } from './rolling-swap.ts'
import { SwapAllowList } from './swap-allow-list.ts'

export type { HostStatus } from './host-status.ts'
export type { HostSwapResult } from './rolling-swap.ts'

export type StartHostOptions = {
  config: HostConfig
  log: Log
  clock?: Clock | undefined
  /** Host-to-host transport; default TCP. */
  transport?: Transport | undefined
  /** The composition's hooks (gateway guard, admission of forwarded callers); none by default. */
  plugins?: HostPluginFactory | undefined
}

export type Host = {
  readonly info: HostInfo
  readonly system: ActorSystem
  readonly router: ActorRouter
  readonly membership: Membership
  /** Whether the host has joined and started its actors. */
  isReady(): boolean
  /** A handle on an actor by name, wherever it runs (the same API as a local kernel ref). */
  ref(actor: string): ActorRef
  placement(): Placement
  status(): HostStatus
  /** Replaces an actor's code on every host that runs it, one host at a time. */
  swapEverywhere(request: SwapRequest): Promise<{ actor: string; hosts: HostSwapResult[] }>
  /** Leaves the domain gracefully and releases every resource. */
  stop(): Promise<void>
}

/** Starts a host from a validated config. */
export async function startHost(options: StartHostOptions): Promise<Host> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const { key, enrollment } = await loadHostIdentity(config)
  const deployment = await Deployment.load(config.actors)
  const allowList = new SwapAllowList([
    ...config.actors.map((spec) => spec.module),
    ...config.swappable,
  ])
  let ready = false
  let links: PeerLinks | undefined
  const membership = new Membership({
    // Addresses are filled in once the listeners are bound.
    self: { ...selfInfo(config, deployment), rpc: '', http: '' },
    clock,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    suspicionTimeoutMs: config.suspicionTimeoutMs,
    onChange: () => {
      if (ready) reconciler.schedule()
    },
    onDown: (member, why) => {
      log('host.peer_down', { peer: member.hostId, why, lastSeen: member.lastSeen })
      links?.closePeer(member.hostId, `peer ${why}`)
    },
  })
  const system = createHostSystem(config, clock, log)
  const reconciler = new PlacementReconciler({
    hostId: config.id,
    deployment,
    alive: () => membership.alive(),
    system,
    log,
  })
  const router = new ActorRouter({
    selfId: config.id,
    clock,
    requestTimeoutMs: config.requestTimeoutMs,
    log,
    table: {
      isDeployed: (actor) => deployment.has(actor),
      placementOf: (actor) => reconciler.placement.actors[actor],
      isIdempotent: (actor, type) => deployment.isIdempotent(actor, type),
    },
    local: system,
    peers: {
      connectionTo: (hostId) => links?.connectionTo(hostId),
      isSuspect: (hostId) => membership.get(hostId)?.status === 'suspect',
    },
  })
  system.setRemoteRouter(router)
  const swaps = new RollingSwap({
    hostId: config.id,
    deployment,
    allowList,
    system,
    log,
    placement: () => reconciler.placement,
    alive: () => membership.alive(),
    connectionTo: (hostId) => links?.connectionTo(hostId),
    onDeploymentChanged: () =>
      membership.setSelf({ ...membership.self, deployment: deployment.hash() }),
  })
  const plugins =
    (await options.plugins?.({
      hostId: config.id,
      domain: enrollment.domain,
      clock,
      log,
      ask: (actor, type, payload, askOptions) =>
        router.ask(actor, type, payload, askOptions) as Promise<never>,
      enrollment: enrollmentMap(enrollment.hosts),
      signingKey: key.privateKey,
    } satisfies HostServices)) ?? {}

  const rpc = createRpcNode({
    transport: options.transport ?? createTcpTransport(),
    hostId: config.id,
    key,
    enrollment,
    clock,
    log,
    handler: hostRpcHandler({
      hostId: config.id,
      system,
      admitCaller: plugins.admitCaller ?? refuseUncredentialedCallers,
      log,
      onHeartbeat: (peer, body) => links?.onHeartbeat(peer, body),
      onLeave: (peer) => membership.left(peer.hostId),
      swap: (request) => swaps.swapHere(request),
      status: () => status(),
    }),
    onConnection: (connection) => {
      if (links) links.adopt(connection)
      else connection.close('host starting')
    },
  })
  const rpcListener = await rpc.listen(config.listen.rpc)
  const status = () =>
    hostStatus({
      info: membership.self,
      ready,
      now: clock.now(),
      membership,
      placement: reconciler.placement,
      system,
      connections: peerLinks.summary(),
      refused: rpc.refused,
      router: router.counters,
    })
  const { app } = createGateway({
    backend: hostGatewayBackend({
      hostId: config.id,
      deployment,
      router,
      system,
      swaps,
      ready: () => ready,
      placement: () => reconciler.placement,
      status,
    }),
    guard: plugins.guard,
    adminToken: config.adminTokenFile
      ? (await Bun.file(config.adminTokenFile).text()).trim()
      : undefined,
    hostId: config.id,
    requestTimeoutMs: config.requestTimeoutMs,
  })
  const gateway = serveGateway(app, config.listen.http)
  membership.setSelf({
    ...membership.self,
    rpc: config.advertise.rpc ?? `${config.listen.rpc.hostname}:${rpcListener.port}`,
    http: config.advertise.http ?? gateway.url,
  })
  const peerLinks = new PeerLinks({
    info: () => membership.self,
    seeds: config.seeds,
    enrollment,
    membership,
    connect: (target) => rpc.connect(target),
    log,
  })
  links = peerLinks

  membership.start()
  const joining = startJoining({
    clock,
    intervalMs: config.heartbeatIntervalMs,
    suspicionTimeoutMs: config.suspicionTimeoutMs,
    tick: () => peerLinks.tick(),
    allConnected: () => peerLinks.allConnected(),
    onJoined: () => {
      ready = true
      log('host.joined', { members: membership.alive().map((h) => h.hostId) })
      reconciler.schedule()
    },
  })

  return {
    get info() {
      return membership.self
    },
    system,
    router,
    membership,
    isReady: () => ready,
    ref: (actor) => ({
      name: actor,
      ask: <Reply>(type: string, payload: unknown, askOptions = {}) =>
        router.ask(actor, type, payload, askOptions) as Promise<Reply>,
      tell: (type, payload, tellOptions) =>
        router.tell(actor, type, payload, { caller: tellOptions?.caller }),
    }),
    placement: () => reconciler.placement,
    status,
    swapEverywhere: (request) => swaps.swapEverywhere(request),
    async stop() {
      if (!joining.stop()) return
      ready = false
      // Best effort: peers that miss it notice the silence anyway.
      peerLinks.broadcast('host.leave', {})
      peerLinks.stop()
      membership.stop()
      await reconciler.stop()
      await system.shutdown()
      // Give the leave notices a turn to flush before the sockets close.
      await Bun.sleep(0)
      rpc.close()
      await gateway.stop()
      log('host.stopped', {})
    },
  }
}

/** This host's heartbeat record, without its addresses. */
function selfInfo(config: HostConfig, deployment: Deployment): Omit<HostInfo, 'rpc' | 'http'> {
  return {
    hostId: config.id,
    role: config.role,
    labels: config.labels,
    capacity: config.capacity,
    // Wall-clock start time: it tells incarnations of a host apart across processes and machines.
    startedAt: Date.now(),
    deployment: deployment.hash(),
  }
}

/** The kernel of a host: its actors' own messages carry the host's principal; events go to the log. */
function createHostSystem(config: HostConfig, clock: Clock, log: Log): ActorSystem {
  const system = createActorSystem({
    clock,
    config: { ...config.kernel, workerSmol: config.kernel.workerSmol || config.role === 'edge' },
    actorCaller: (actor): Caller => hostCaller(config.id, actor),
  })
  system.subscribe((event) => {
    if (event.type === 'actor.log') {
      log('actor.log', { actor: event.actor, event: event.event, ...event.data })
      return
    }
    const { type, at: _at, ...data } = event as { type: string; at: number }
    log(type, data as Record<string, unknown>)
  })
  return system
}

function enrollmentMap(
  hosts: readonly { hostId: string; publicKey: string; role: EnrolledPeer['role'] }[],
): ReadonlyMap<string, EnrolledPeer> {
  return new Map(hosts.map((host) => [host.hostId, { publicKey: host.publicKey, role: host.role }]))
}

/**
 * The heartbeat loop. The host has joined once every enrolled host is
 * connected and heard (so the first placement already sees the whole domain
 * and actors do not move right after start), or after the suspicion timeout
 * with whoever is there. `stop()` returns false when it was stopped already.
 */
function startJoining(options: {
  clock: Clock
  intervalMs: number
  suspicionTimeoutMs: number
  tick(): void
  allConnected(): boolean
  onJoined(): void
}): { stop(): boolean } {
  const { clock } = options
  const startedAt = clock.now()
  let joined = false
  let stopped = false
  let timer: TimerHandle | undefined
  const tick = () => {
    timer = undefined
    if (stopped) return
    options.tick()
    if (
      !joined &&
      (clock.now() - startedAt >= options.suspicionTimeoutMs || options.allConnected())
    ) {
      joined = true
      options.onJoined()
    }
    timer = clock.setTimeout(tick, options.intervalMs)
  }
  tick()
  return {
    stop() {
      if (stopped) return false
      stopped = true
      if (timer !== undefined) clock.clearTimeout(timer)
      return true
    },
  }
}
