/**
 * A vigil host: one process on an edge, fog or cloud machine that joins its
 * domain and runs the actors the placement gives it.
 *
 * It composes the actor kernel (workers, mailboxes, supervision, hot swap),
 * the authenticated RPC node (host-to-host), membership and failure
 * detection (heartbeats), the placement policy (recomputed whenever the set
 * of live hosts changes; actors are started or stopped to match), the
 * location-transparent router (the kernel's remote delegate) and the HTTP
 * gateway. Start it with {@link startHost}; stop it with `stop()`, which
 * tells its peers it is leaving.
 */
import { importActorDefinition, resolveActorSource } from '../actor/actor-source.ts'
import { type Caller, hostCaller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'
import { type Clock, systemClock, type TimerHandle } from '../clock/clock.ts'
import { ConfigError } from '../config/config-error.ts'
import { toWireError } from '../errors/base-error.ts'
import { createGateway } from '../gateway/create-gateway.ts'
import type { ActorCounters, GatewayBackend } from '../gateway/gateway-backend.ts'
import { serveGateway } from '../gateway/serve-gateway.ts'
import type { Log } from '../log/create-logger.ts'
import { createRpcNode } from '../rpc/create-rpc-node.ts'
import { readEnrollmentList } from '../rpc/enrollment-list.ts'
import { RpcFrameMalformedError } from '../rpc/errors.ts'
import { readHostKey } from '../rpc/host-key.ts'
import { createTcpTransport } from '../rpc/tcp-transport.ts'
import type { Transport } from '../rpc/transport.ts'
import {
  type ActorInfo,
  type ActorRef,
  type ActorSystem,
  createActorSystem,
} from '../system/create-actor-system.ts'
import { ActorRouter, type RouterCounters } from './actor-router.ts'
import { admitRemoteCaller, refuseUncredentialedCallers } from './admit-remote-caller.ts'
import { PlacementStaleError } from './errors.ts'
import type { ActorSpec, HostConfig } from './host-config.ts'
import type { EnrolledPeer, HostPluginFactory, HostServices } from './host-plugins.ts'
import {
  actorMessageSchema,
  callerSchema,
  type SwapRequest,
  swapRequestSchema,
} from './host-rpc-messages.ts'
import { type HostInfo, type Member, Membership } from './membership.ts'
import { PeerLinks } from './peer-links.ts'
import { type Placement, placeActors } from './place-actors.ts'

export type StartHostOptions = {
  config: HostConfig
  log: Log
  clock?: Clock | undefined
  /** Host-to-host transport; default TCP. */
  transport?: Transport | undefined
  /** The composition's hooks (gateway guard, admission of forwarded callers); none by default. */
  plugins?: HostPluginFactory | undefined
}

/** The result of swapping one actor on one host. */
export type HostSwapResult = {
  hostId: string
  swapped: boolean
  fromVersion?: number | undefined
  toVersion?: number | undefined
  pauseMs?: number | undefined
  error?: { code: string; message: string } | undefined
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

/** What `vigil host status` shows. */
export type HostStatus = {
  host: HostInfo
  ready: boolean
  members: (Member & { lastSeenAgoMs: number })[]
  placement: Placement['actors']
  load: Placement['load']
  actors: (ActorInfo & {
    received: number
    processed: number
    failed: number
    restarts: number
    mailboxDepth: number
  })[]
  connections: { hostId: string; open: number }[]
  refused: Readonly<Record<string, number>>
  router: RouterCounters
  rssMb: number
}

const SWAP_RPC_TIMEOUT_MS = 120_000

/** Starts a host from a validated config. */
export async function startHost(options: StartHostOptions): Promise<Host> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const key = await readHostKey(config.keyFile)
  const enrollment = await readEnrollmentList(config.enrollmentFile, config.adminPublicKey)
  const me = enrollment.find(config.id)
  if (!me || me.publicKey !== key.publicKeyBase64 || me.role !== config.role) {
    throw new ConfigError(
      [
        {
          path: me ? (me.role !== config.role ? 'role' : 'keyFile') : 'id',
          message: me
            ? `does not match the enrollment list (enrolled as role '${me.role}' with another key?)`
            : `host '${config.id}' is not in the enrollment list ${config.enrollmentFile}`,
        },
      ],
      'host config vs enrollment',
    )
  }

  // Deployed actors: their specs (mutable on swap) and definitions (protocols).
  const specs = new Map<string, ActorSpec>(config.actors.map((spec) => [spec.name, spec]))
  const stateless = new Map<string, boolean>()
  let protocols: Record<string, Protocol> = {}
  for (const spec of specs.values()) {
    const definition = await importActorDefinition(
      resolveActorSource({ module: spec.module, export: spec.export }),
    )
    protocols[spec.name] = definition.protocol
    stateless.set(spec.name, definition.stateless === true)
  }

  /** Short hash of what the host deploys; hosts that disagree compute different placements. */
  function deploymentHash(): string {
    const canonical = [...specs.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((spec) => [spec.name, spec.module, spec.export ?? null, spec.placement])
    return new Bun.CryptoHasher('sha256')
      .update(JSON.stringify(canonical))
      .digest('hex')
      .slice(0, 16)
  }

  let system: ActorSystem | undefined
  let placement: Placement = { actors: {}, load: {} }
  let ready = false
  let stopping = false
  // Set once the RPC listener and gateway are up (the links need their addresses).
  let links: PeerLinks | undefined
  const connectionTo = (hostId: string) => links?.connectionTo(hostId)

  const router = new ActorRouter({
    selfId: config.id,
    clock,
    requestTimeoutMs: config.requestTimeoutMs,
    log,
    isDeployed: (actor) => specs.has(actor),
    placementOf: (actor) => placement.actors[actor],
    isLocal: (actor) => system?.has(actor) === true,
    localAsk: (actor, type, payload, askOptions) =>
      (system as ActorSystem).ask(actor, type, payload, askOptions),
    localTell: (actor, type, payload, caller) =>
      (system as ActorSystem).tell(actor, type, payload, { caller }),
    connectionTo,
    isSuspect: (hostId) => membership.get(hostId)?.status === 'suspect',
    isIdempotent: (actor, type) => protocols[actor]?.[type]?.idempotent === true,
  })

  system = createActorSystem({
    clock,
    config: { ...config.kernel, workerSmol: config.kernel.workerSmol || config.role === 'edge' },
    remote: router,
    actorCaller: (actor) => hostCaller(config.id, actor),
  })
  const actorSystem = system

  const services: HostServices = {
    hostId: config.id,
    domain: enrollment.domain,
    clock,
    log,
    ask: <Reply>(
      actor: string,
      type: string,
      payload: unknown,
      askOptions: { timeoutMs?: number | undefined; caller?: Caller | undefined } = {},
    ) => router.ask(actor, type, payload, askOptions) as Promise<Reply>,
    enrollment: new Map<string, EnrolledPeer>(
      enrollment.hosts.map((host) => [host.hostId, { publicKey: host.publicKey, role: host.role }]),
    ),
    signingKey: key.privateKey,
  }
  const plugins = (await options.plugins?.(services)) ?? {}
  const admitCaller = plugins.admitCaller ?? refuseUncredentialedCallers
  actorSystem.subscribe((event) => {
    if (event.type === 'actor.log') {
      log('actor.log', { actor: event.actor, event: event.event, ...event.data })
      return
    }
    const { type, at: _at, ...data } = event as { type: string; at: number }
    log(type, data as Record<string, unknown>)
  })

  async function localSwap(request: SwapRequest): Promise<HostSwapResult> {
    const spec = specs.get(request.actor)
    if (!spec) throw new PlacementStaleError(request.actor, config.id)
    const source = resolveActorSource({ module: request.module, export: request.export })
    const definition = await importActorDefinition(source)
    let result: HostSwapResult = { hostId: config.id, swapped: false }
    if (actorSystem.has(request.actor)) {
      // A failing migrate rolls back inside the kernel and throws: the deployment stays on the old code.
      const swapped = await actorSystem.swap(request.actor, {
        module: request.module,
        export: request.export,
      })
      log('host.swapped', { actor: request.actor, ...swapped })
      result = { hostId: config.id, swapped: true, ...swapped }
    }
    specs.set(request.actor, { ...spec, module: request.module, export: request.export })
    protocols = { ...protocols, [request.actor]: definition.protocol }
    stateless.set(request.actor, definition.stateless === true)
    info = { ...info, deployment: deploymentHash() }
    membership.setSelf(info)
    return result
  }

  const rpc = createRpcNode({
    transport: options.transport ?? createTcpTransport(),
    hostId: config.id,
    key,
    enrollment,
    clock,
    log,
    handler: {
      request(method, body, peer) {
        if (method === 'actor.ask') {
          // The hot path: a hand-written shape check instead of a schema parse per message.
          const message = body as {
            actor?: unknown
            type?: unknown
            payload?: unknown
            timeoutMs?: unknown
            caller?: unknown
          }
          if (typeof message?.actor !== 'string' || typeof message.type !== 'string') {
            throw new RpcFrameMalformedError('actor.ask needs {actor, type, payload}')
          }
          if (!actorSystem.has(message.actor))
            throw new PlacementStaleError(message.actor, config.id)
          const askOptions = {
            timeoutMs: typeof message.timeoutMs === 'number' ? message.timeoutMs : undefined,
            from: peer.hostId,
          }
          if (message.caller === undefined) {
            return actorSystem.ask(message.actor, message.type, message.payload, askOptions)
          }
          const claimed = callerSchema.safeParse(message.caller)
          if (!claimed.success) throw new RpcFrameMalformedError('actor.ask caller is malformed')
          const { actor, type, payload } = message as {
            actor: string
            type: string
            payload: unknown
          }
          return Promise.resolve(admitRemoteCaller(claimed.data, peer.hostId, admitCaller)).then(
            (caller) => actorSystem.ask(actor, type, payload, { ...askOptions, caller }),
          )
        }
        // Transport-only round trip, for benchmarks and liveness probes.
        if (method === 'host.ping') return null
        if (method === 'host.swap') return localSwap(swapRequestSchema.parse(body))
        if (method === 'host.status') return status()
        throw new RpcFrameMalformedError(`unknown method '${method}'`)
      },
      notify(method, body, peer) {
        if (method === 'host.heartbeat') links?.onHeartbeat(peer, body)
        else if (method === 'actor.tell') {
          const message = actorMessageSchema.parse(body)
          if (actorSystem.has(message.actor)) {
            Promise.resolve(admitRemoteCaller(message.caller, peer.hostId, admitCaller))
              .then((caller) =>
                actorSystem.tell(message.actor, message.type, message.payload, { caller }),
              )
              .catch((error: unknown) =>
                log('host.tell_refused', {
                  actor: message.actor,
                  from: peer.hostId,
                  code: toWireError(error).code,
                }),
              )
          } else
            log('host.tell_dropped', {
              actor: message.actor,
              from: peer.hostId,
              reason: 'not placed here',
            })
        } else if (method === 'host.leave') membership.left(peer.hostId)
      },
    },
    onConnection: (connection) => {
      if (links) links.adopt(connection)
      else connection.close('host starting')
    },
  })
  const rpcListener = await rpc.listen(config.listen.rpc)
  const rpcAddress = config.advertise.rpc ?? `${config.listen.rpc.hostname}:${rpcListener.port}`

  const backend: GatewayBackend = {
    protocols: () => protocols,
    ask: (actor, type, payload, askOptions) => router.ask(actor, type, payload, askOptions),
    actorCounters() {
      const out: Record<string, ActorCounters> = {}
      for (const actor of actorSystem.listActors()) {
        const stats = actorSystem.stats(actor.name)
        out[actor.name] = {
          received: stats.received,
          processed: stats.processed,
          failed: stats.failed,
          restarts: stats.restarts,
          mailboxDepth: stats.mailboxDepth,
        }
      }
      return out
    },
    ready: () => ready,
    admin: {
      status: () => status(),
      placement: () => ({ host: config.id, placement: placement.actors, load: placement.load }),
      swap: (request) => swapEverywhere(request),
    },
  }
  const adminToken = config.adminTokenFile
    ? (await Bun.file(config.adminTokenFile).text()).trim()
    : undefined
  const { app } = createGateway({
    backend,
    guard: plugins.guard,
    adminToken,
    hostId: config.id,
    requestTimeoutMs: config.requestTimeoutMs,
  })
  const gateway = serveGateway(app, config.listen.http)

  // Wall-clock start time: it tells incarnations of a host apart across processes and machines.
  let info: HostInfo = {
    hostId: config.id,
    role: config.role,
    labels: config.labels,
    capacity: config.capacity,
    rpc: rpcAddress,
    http: config.advertise.http ?? gateway.url,
    startedAt: Date.now(),
    deployment: deploymentHash(),
  }
  const membership = new Membership({
    self: info,
    clock,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    suspicionTimeoutMs: config.suspicionTimeoutMs,
    onChange: () => {
      if (ready) scheduleReconcile()
    },
    onDown: (member, why) => {
      log('host.peer_down', { peer: member.hostId, why, lastSeen: member.lastSeen })
      links?.closePeer(member.hostId, `peer ${why}`)
    },
  })

  const peerLinks = new PeerLinks({
    info: () => info,
    seeds: config.seeds,
    enrollment,
    membership,
    connect: (target) => rpc.connect(target),
    log,
  })
  links = peerLinks

  let heartbeatTimer: TimerHandle | undefined
  const startedAt = clock.now()
  function tick() {
    heartbeatTimer = undefined
    if (stopping) return
    peerLinks.tick()
    if (!ready && settled()) {
      ready = true
      log('host.joined', { members: membership.alive().map((h) => h.hostId) })
      scheduleReconcile()
    }
    heartbeatTimer = clock.setTimeout(tick, config.heartbeatIntervalMs)
  }

  /**
   * Joined once every enrolled host is connected and heard (so the first
   * placement already sees the whole domain and actors do not move right after
   * start), or after the suspicion timeout with whoever is there.
   */
  function settled(): boolean {
    return clock.now() - startedAt >= config.suspicionTimeoutMs || peerLinks.allConnected()
  }

  let reconciling: Promise<void> | undefined
  let dirty = false
  function scheduleReconcile() {
    dirty = true
    reconciling ??= (async () => {
      while (dirty && !stopping) {
        dirty = false
        await reconcile()
      }
      reconciling = undefined
    })()
  }

  async function reconcile() {
    const actors = [...specs.values()].map((spec) => ({
      name: spec.name,
      placement: spec.placement,
      stateless: stateless.get(spec.name) === true,
    }))
    const next = placeActors(actors, membership.alive())
    const summary = Object.fromEntries(
      Object.values(next.actors).map((p) => [p.actor, p.hosts.join(',') || '-']),
    )
    if (JSON.stringify(next.actors) !== JSON.stringify(placement.actors))
      log('host.placement', summary)
    placement = next
    for (const actor of Object.values(next.actors)) {
      const spec = specs.get(actor.actor)
      if (!spec || stopping) continue
      const mine = actor.hosts.includes(config.id)
      if (mine && !actorSystem.has(spec.name)) {
        try {
          await actorSystem.spawn(
            spec.name,
            { module: spec.module, export: spec.export },
            { args: spec.args },
          )
          log('host.actor_placed', { actor: spec.name, tier: actor.tier })
        } catch (error) {
          log('host.actor_start_failed', {
            actor: spec.name,
            error: toWireError(error).shortMessage,
          })
        }
      } else if (!mine && actorSystem.has(spec.name)) {
        log('host.actor_moved_away', { actor: spec.name, to: actor.hosts.join(',') })
        await actorSystem.stop(spec.name).catch((error: unknown) =>
          log('host.actor_stop_failed', {
            actor: spec.name,
            error: toWireError(error).shortMessage,
          }),
        )
      }
    }
  }

  async function swapEverywhere(request: SwapRequest) {
    if (!specs.has(request.actor)) throw new PlacementStaleError(request.actor, config.id)
    // Load it here first: a module that does not load stops the rollout before any host changes.
    await importActorDefinition(
      resolveActorSource({ module: request.module, export: request.export }),
    )
    const results: HostSwapResult[] = []
    // Hosts that run the actor first, one at a time; the others only record the new module once
    // every running copy has switched, so a failed rollout leaves no host deploying the new code.
    const running = new Set(placement.actors[request.actor]?.hosts ?? [])
    const order = [
      ...membership.alive().filter((host) => running.has(host.hostId)),
      ...membership.alive().filter((host) => !running.has(host.hostId)),
    ]
    for (const host of order) {
      try {
        if (host.hostId === config.id) results.push(await localSwap(request))
        else {
          const connection = connectionTo(host.hostId)
          if (!connection) throw new Error(`no connection to ${host.hostId}`)
          results.push(
            (await connection.request('host.swap', request, {
              timeoutMs: SWAP_RPC_TIMEOUT_MS,
            })) as HostSwapResult,
          )
        }
      } catch (error) {
        const wire = toWireError(error)
        results.push({
          hostId: host.hostId,
          swapped: false,
          error: { code: wire.code, message: wire.shortMessage },
        })
        // Roll out no further: the remaining hosts keep the old code.
        break
      }
    }
    log('host.swap_rollout', {
      actor: request.actor,
      hosts: results.map((r) => `${r.hostId}:${r.swapped}`),
    })
    return { actor: request.actor, hosts: results }
  }

  function status(): HostStatus {
    return {
      host: info,
      ready,
      members: membership.members().map((m) => ({ ...m, lastSeenAgoMs: clock.now() - m.lastSeen })),
      placement: placement.actors,
      load: placement.load,
      actors: actorSystem.listActors().map((actor) => {
        const stats = actorSystem.stats(actor.name)
        return {
          ...actor,
          received: stats.received,
          processed: stats.processed,
          failed: stats.failed,
          restarts: stats.restarts,
          mailboxDepth: stats.mailboxDepth,
        }
      }),
      connections: peerLinks.summary(),
      refused: rpc.refused,
      router: router.counters,
      rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    }
  }

  membership.start()
  tick()

  return {
    get info() {
      return info
    },
    system: actorSystem,
    router,
    membership,
    isReady: () => ready,
    ref: (actor) => ({
      name: actor,
      ask: <Reply>(
        type: string,
        payload: unknown,
        askOptions: { timeoutMs?: number | undefined; caller?: Caller | undefined } = {},
      ) => router.ask(actor, type, payload, askOptions) as Promise<Reply>,
      tell: (type, payload, tellOptions) =>
        router.tell(actor, type, payload, { caller: tellOptions?.caller }),
    }),
    placement: () => placement,
    status,
    swapEverywhere,
    async stop() {
      if (stopping) return
      stopping = true
      ready = false
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer)
      // Best effort: peers that miss it notice the silence anyway.
      peerLinks.broadcast('host.leave', {})
      peerLinks.stop()
      membership.stop()
      await reconciling
      await actorSystem.shutdown()
      // Give the leave notices a turn to flush before the sockets close.
      await Bun.sleep(0)
      rpc.close()
      await gateway.stop()
      log('host.stopped', {})
    },
  }
}
