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
import { type Clock, systemClock } from '../clock/clock.ts'
import { createGateway } from '../gateway/create-gateway.ts'
import { type ServedGateway, serveGateway } from '../gateway/serve-gateway.ts'
import type { ActorRef, ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import { createRpcNode, type RpcNode } from '../rpc/create-rpc-node.ts'
import { LiveEnrollment } from '../rpc/live-enrollment.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { createTcpTransport } from '../rpc/tcp-transport.ts'
import type { Transport } from '../rpc/transport.ts'
import { ActorRouter } from './actor-router.ts'
import { refuseUncredentialedCallers } from './admit-remote-caller.ts'
import { createHostSystem } from './create-host-system.ts'
import { DeployAllowList } from './deploy-allow-list.ts'
import { Deployment } from './deployment.ts'
import { DomainDeploy, type HostDeployResult } from './domain-deploy.ts'
import { type EnrollmentUpdates, enrollmentUpdates } from './enrollment-updates.ts'
import { findSnapshot } from './find-snapshot.ts'
import type { HostConfig } from './host-config.ts'
import { hostGatewayBackend } from './host-gateway-backend.ts'
import { type HostIdentity, loadHostIdentity } from './host-identity.ts'
import type { EnrolledPeer, HostPluginFactory, HostPlugins, HostServices } from './host-plugins.ts'
import { hostRpcHandler } from './host-rpc-handler.ts'
import type { DeployRequest, SwapRequest } from './host-rpc-messages.ts'
import { type HostStatus, hostStatus } from './host-status.ts'
import { startJoining } from './join-loop.ts'
import { type HostInfo, Membership } from './membership.ts'
import { PeerLinks } from './peer-links.ts'
import type { Placement } from './place-actors.ts'
import { PlacementReconciler } from './placement-reconciler.ts'
import { type HostSwapResult, RollingSwap } from './rolling-swap.ts'
import { SnapshotReplicator } from './snapshot-replicator.ts'
import { SnapshotSeal } from './snapshot-seal.ts'
import { SnapshotStore } from './snapshot-store.ts'
import { SnapshotTrust } from './snapshot-trust.ts'
import { SwapAllowList } from './swap-allow-list.ts'

export type { HostDeployResult } from './domain-deploy.ts'
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
  /** Adds actors (modules by `deployable` key) to every live host's deployment. */
  deployEverywhere(request: DeployRequest): Promise<{ actors: string[]; hosts: HostDeployResult[] }>
  /** Leaves the domain gracefully and releases every resource. */
  stop(): Promise<void>
}

/** Starts a host from a validated config. */
export async function startHost(options: StartHostOptions): Promise<Host> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const identity = await loadHostIdentity(config)
  const core = await createHostCore(config, identity, clock, log)
  // The network starts after the plugins are built; status() is only asked once it serves.
  let served: HostNetwork | undefined
  const plugins =
    (await options.plugins?.({
      hostId: config.id,
      domain: identity.enrollment.domain,
      clock,
      log,
      ask: (actor, type, payload, askOptions) =>
        core.router.ask(actor, type, payload, askOptions) as Promise<never>,
      enrollment: enrollmentMap(identity.enrollment.hosts),
      signingKey: identity.key.privateKey,
      status: () => served?.status(),
    } satisfies HostServices)) ?? {}
  const network = await startHostNetwork({ ...options, clock, identity, core, hooks: plugins })
  served = network
  const { state, membership, reconciler, router, system, swaps } = core
  membership.start()
  const joining = startJoining({
    clock,
    intervalMs: config.heartbeatIntervalMs,
    suspicionTimeoutMs: config.suspicionTimeoutMs,
    tick: () => network.links.tick(),
    allConnected: () => network.links.allConnected(),
    onJoined: () => {
      state.ready = true
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
    isReady: () => state.ready,
    ref: (actor) => ({
      name: actor,
      ask: <Reply>(type: string, payload: unknown, askOptions = {}) =>
        router.ask(actor, type, payload, askOptions) as Promise<Reply>,
      tell: (type, payload, tellOptions) =>
        router.tell(actor, type, payload, { caller: tellOptions?.caller }),
    }),
    placement: () => reconciler.placement,
    status: network.status,
    swapEverywhere: (request) => swaps.swapEverywhere(request),
    deployEverywhere: (request) => core.deploys.deployEverywhere(request),
    async stop() {
      if (!joining.stop()) return
      state.ready = false
      // Best effort: peers that miss it notice the silence anyway.
      network.links.broadcast('host.leave', {})
      network.links.stop()
      membership.stop()
      await reconciler.stop()
      await system.shutdown()
      // Give the leave notices a turn to flush before the sockets close.
      await Bun.sleep(0)
      network.rpc.close()
      await network.gateway.stop()
      log('host.stopped', {})
    },
  }
}

/** The parts of a host that do not touch the network, wired to each other. */
type HostCore = {
  /** Set as the host joins and starts links; read by late-bound callbacks. */
  readonly state: { ready: boolean; links: PeerLinks | undefined }
  readonly deployment: Deployment
  readonly membership: Membership
  readonly system: ActorSystem
  readonly reconciler: PlacementReconciler
  readonly router: ActorRouter
  readonly swaps: RollingSwap
  readonly deploys: DomainDeploy
  /** Snapshot replicas peers sent here, which of them this host believes, and its own seal. */
  readonly replicas: {
    readonly snapshots: SnapshotStore
    readonly snapshotTrust: SnapshotTrust
    readonly snapshotSeal: SnapshotSeal
  }
}

/** Deployment, membership, kernel, placement, router and swaps. */
async function createHostCore(
  config: HostConfig,
  identity: HostIdentity,
  clock: Clock,
  log: Log,
): Promise<HostCore> {
  const state: HostCore['state'] = { ready: false, links: undefined }
  const deployment = await Deployment.load(config.actors)
  const membership = new Membership({
    // Addresses are filled in once the listeners are bound.
    self: { ...selfInfo(config, deployment), rpc: '', http: '' },
    clock,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    suspicionTimeoutMs: config.suspicionTimeoutMs,
    connectionLossTimeoutMs: config.connectionLossTimeoutMs,
    onChange: () => {
      if (state.ready) reconciler.schedule()
    },
    onDown: (member, why) => {
      log('host.peer_down', { peer: member.hostId, why, lastSeen: member.lastSeen })
      state.links?.closePeer(member.hostId, `peer ${why}`)
    },
  })
  const system = createHostSystem(config, clock, log)
  const alive = () => membership.alive()
  const connectionTo = (hostId: string) => state.links?.connectionTo(hostId)
  const replicas = wireSnapshots({
    ...{ config, identity, system, deployment, alive, connectionTo, log },
    reconciler: () => reconciler,
  })
  const reconciler = new PlacementReconciler({
    ...{ hostId: config.id, deployment, alive, system, log },
    findSnapshot: replicas.find,
  })
  const router = new ActorRouter({
    selfId: config.id,
    clock,
    requestTimeoutMs: config.requestTimeoutMs,
    maxWaiting: config.routeWaitLimit,
    log,
    table: {
      isDeployed: (actor) => deployment.has(actor),
      placementOf: (actor) => reconciler.placement.actors[actor],
      isIdempotent: (actor, type) => deployment.isIdempotent(actor, type),
    },
    local: system,
    peers: { connectionTo, isSuspect: (id) => membership.get(id)?.status === 'suspect' },
  })
  system.setRemoteRouter(router)
  const swaps = new RollingSwap({
    hostId: config.id,
    deployment,
    allowList: new SwapAllowList([
      ...config.actors.map((spec) => spec.module),
      ...config.swappable,
    ]),
    system,
    log,
    placement: () => reconciler.placement,
    alive,
    connectionTo,
    onDeploymentChanged: () =>
      membership.setSelf({ ...membership.self, deployment: deployment.hash() }),
  })
  const deploys = new DomainDeploy({
    ...{ hostId: config.id, deployment, log, alive, connectionTo },
    allowList: new DeployAllowList(config.deployable),
    onDeployed: () => {
      membership.setSelf({ ...membership.self, deployment: deployment.hash() })
      if (state.ready) reconciler.schedule()
    },
  })
  const { snapshots, snapshotTrust, snapshotSeal } = replicas
  return {
    ...{ state, deployment, membership, system, reconciler, router, swaps, deploys },
    replicas: { snapshots, snapshotTrust, snapshotSeal },
  }
}

/**
 * A host's snapshot replicas: the store of peers' replicas, this host's seal
 * and trust rule (snapshot-seal.ts, snapshot-trust.ts), the replicator as the
 * kernel's snapshot hook, and where a placed actor resumes from.
 */
function wireSnapshots(parts: {
  config: HostConfig
  identity: HostIdentity
  system: ActorSystem
  deployment: Deployment
  alive(): readonly HostInfo[]
  connectionTo(hostId: string): RpcConnection | undefined
  /** Late-bound: the reconciler is created with `find`. */
  reconciler(): PlacementReconciler
  log: Log
}) {
  const { config, system, deployment, alive, connectionTo, log } = parts
  const snapshots = new SnapshotStore()
  const snapshotSeal = new SnapshotSeal({ hostId: config.id, ...parts.identity })
  const timeoutMs = config.snapshotReplicaTimeoutMs
  const snapshotTrust = new SnapshotTrust({
    seal: snapshotSeal,
    ownersNow: (actor) => parts.reconciler().ownersNow(actor),
    restoreSigners: (actor) => parts.reconciler().restoreSigners(actor),
    log,
  })
  const replicator = new SnapshotReplicator({
    targets: (actor) => parts.reconciler().successors(actor),
    ...{ connectionTo, timeoutMs, log, seal: snapshotSeal },
    isStateless: (actor) => deployment.isStateless(actor),
  })
  system.setSnapshotHook(
    (snapshot) => replicator.replicate(snapshot),
    (actor) => !deployment.isStateless(actor),
  )
  const find = (actor: string) =>
    findSnapshot(actor, {
      ...{ selfId: config.id, alive, snapshots, connectionTo, timeoutMs },
      trust: snapshotTrust,
    })
  return { snapshots, snapshotSeal, snapshotTrust, find }
}

type HostNetwork = {
  readonly rpc: RpcNode
  readonly gateway: ServedGateway
  readonly links: PeerLinks
  status(): HostStatus
}

/** The RPC node, the gateway and the links to peers; publishes the bound addresses. */
async function startHostNetwork(
  options: StartHostOptions & {
    clock: Clock
    identity: HostIdentity
    core: HostCore
    /** What the plugin factory returned. */
    hooks: HostPlugins
  },
): Promise<HostNetwork> {
  const { config, log, clock, identity, core, hooks } = options
  const { state, membership, system, reconciler, router, replicas } = core
  let rpc: RpcNode | undefined
  const updates: EnrollmentUpdates = enrollmentUpdates({
    live: new LiveEnrollment(identity.enrollment, config.adminPublicKey),
    file: config.enrollmentFile,
    log,
    rpc: () => rpc,
    broadcast: (method, body) => state.links?.broadcast(method, body),
    membership,
  })
  rpc = createRpcNode({
    transport: options.transport ?? createTcpTransport(),
    hostId: config.id,
    key: identity.key,
    enrollment: updates.enrollment,
    clock,
    log,
    handler: rpcHandler({ config, log, core, hooks, updates, status: () => status() }),
    onConnection: (connection) => {
      if (state.links) state.links.adopt(connection)
      else connection.close('host starting')
    },
  })
  const rpcListener = await rpc.listen(config.listen.rpc)
  const status = (): HostStatus =>
    hostStatus({
      info: membership.self,
      ready: state.ready,
      now: clock.now(),
      membership,
      placement: reconciler.placement,
      system,
      connections: state.links?.summary() ?? [],
      refused: rpc.refused,
      snapshotsRefused: replicas.snapshotTrust.counters,
      router: router.counters,
    })
  const gateway = await serveHostGateway({ config, core, hooks, updates, status })
  membership.setSelf({
    ...membership.self,
    rpc: config.advertise.rpc ?? `${config.listen.rpc.hostname}:${rpcListener.port}`,
    http: config.advertise.http ?? gateway.url,
  })
  const links = new PeerLinks({
    info: () => membership.self,
    seeds: config.seeds,
    enrollment: updates.enrollment,
    membership,
    connect: (target) => (rpc as RpcNode).connect(target),
    log,
    onAdopt: (connection) => updates.greet(connection),
  })
  state.links = links
  return { rpc, gateway, links, status }
}

/** The gateway's certificate and key when the config names them (HTTPS), else undefined. */
async function readGatewayTls(config: HostConfig) {
  if (!config.tls) return undefined
  const [cert, key] = await Promise.all([
    Bun.file(config.tls.certFile).text(),
    Bun.file(config.tls.keyFile).text(),
  ])
  return { cert, key }
}

/** The host's HTTP gateway over its router, swaps, deploys and enrollment updates, served (TLS when configured). */
async function serveHostGateway(parts: {
  config: HostConfig
  core: HostCore
  hooks: HostPlugins
  updates: EnrollmentUpdates
  status: () => HostStatus
}): Promise<ServedGateway> {
  const { config, core, hooks, updates, status } = parts
  const { state, system, reconciler, router, swaps, deployment } = core
  const served = createGateway({
    backend: hostGatewayBackend({
      ...{ hostId: config.id, deployment, router, system, swaps, status },
      placement: () => reconciler.placement,
      ...{ deploys: core.deploys, ready: () => state.ready },
      enrollment: (list) => updates.apply(list),
    }),
    guard: hooks.guard,
    mounts: hooks.mounts,
    adminToken: config.adminTokenFile
      ? (await Bun.file(config.adminTokenFile).text()).trim()
      : undefined,
    hostId: config.id,
    requestTimeoutMs: config.requestTimeoutMs,
    ...{ admission: config.gateway.admission, eventPollMs: config.gateway.eventPollMs },
  })
  return serveGateway(served, { ...config.listen.http, tls: await readGatewayTls(config) })
}

/** What the host answers its peers over RPC. */
function rpcHandler(options: {
  config: HostConfig
  log: Log
  core: HostCore
  hooks: HostPlugins
  updates: EnrollmentUpdates
  status: () => HostStatus
}) {
  const { config, log, core, hooks, updates } = options
  const { state, membership, system, swaps, replicas } = core
  return hostRpcHandler({
    hostId: config.id,
    system,
    admitCaller: hooks.admitCaller ?? refuseUncredentialedCallers,
    log,
    onHeartbeat: (peer, body) => state.links?.onHeartbeat(peer, body),
    onLeave: (peer) => membership.left(peer.hostId),
    onEnrollment: (peer, body) => updates.fromPeer(peer.hostId, body),
    swap: (request) => swaps.swapHere(request),
    deploy: (request) => core.deploys.deployHere(request),
    status: options.status,
    ...replicas,
  })
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

function enrollmentMap(
  hosts: readonly { hostId: string; publicKey: string; role: EnrolledPeer['role'] }[],
): ReadonlyMap<string, EnrolledPeer> {
  return new Map(hosts.map((host) => [host.hostId, { publicKey: host.publicKey, role: host.role }]))
}
