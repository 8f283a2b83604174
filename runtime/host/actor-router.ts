/**
 * Location-transparent routing: sends a request to an actor wherever the
 * placement puts it, and makes host failures invisible where that is safe.
 *
 * The kernel hands every name it does not run itself to this router, so an
 * actor ref works the same in-process and across hosts. A request goes to
 * one of the actor's hosts (this host's own replica while it serves, else
 * replicas round-robin, suspected hosts last). It
 * is retried on the next placement, until its deadline, when it was surely
 * not delivered (no connection, the host no longer runs the actor, the
 * actor was stopping), and — only if the message is marked idempotent —
 * when delivery is uncertain (connection lost or timed out mid-request).
 * A non-idempotent request with uncertain delivery fails with
 * HOST_UNAVAILABLE (`meta.maybeDelivered: true`) rather than risk running twice.
 * Requests that found no host wait in a bounded queue (route-gate.ts), one
 * probe per retry interval, and are released oldest first once one gets through.
 *
 * The message path: the gateway (runtime/gateway/actor-request.ts) or an
 * actor's context asks the router; the router hands the message to this
 * host's kernel ({@link LocalActors}: the actor's cell, then its worker) or
 * sends it over an authenticated {@link RpcConnection} to a host that runs it,
 * whose host-rpc-handler.ts hands it to its own kernel. The caller travels
 * with the message all the way.
 */
import type { Caller } from '../actor/caller.ts'
import type { Clock } from '../clock/clock.ts'
import { BaseError } from '../errors/base-error.ts'
import type { RuntimeErrorCode } from '../errors/runtime-errors.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { HostUnavailableError, PlacementNoHostError } from './errors.ts'
import type { ActorPlacement } from './place-actors.ts'
import { RouteGate } from './route-gate.ts'

/** Codes that prove the request never reached the actor. */
const NOT_DELIVERED: ReadonlySet<string> = new Set<RuntimeErrorCode>([
  'PLACEMENT_STALE',
  'ACTOR_NOT_FOUND',
  'ACTOR_STOPPED',
  'RPC_QUEUE_FULL',
])
/** Codes after which the request may or may not have been processed. */
const UNCERTAIN: ReadonlySet<string> = new Set<RuntimeErrorCode>([
  'RPC_CONNECTION_CLOSED',
  'RPC_TIMEOUT',
])

/** Pause between attempts while placement or membership catches up, ms. */
export const ROUTE_RETRY_MS = 25
/** Waiters let go per event-loop turn once a route is back (see route-gate.ts). */
const RELEASE_BATCH = 256

/** This host's own actors: the kernel, which queues a message in the actor's cell for its worker. */
export type LocalActors = Pick<ActorSystem, 'has' | 'serving' | 'ask' | 'tell'>

/** Which actors are deployed and where the placement puts them. */
export type RoutingTable = {
  isDeployed(actor: string): boolean
  placementOf(actor: string): ActorPlacement | undefined
  isIdempotent(actor: string, type: string): boolean
}

/** The host's links to its peers (PeerLinks and Membership). */
export type PeerConnections = {
  /** An open authenticated connection to `hostId`, if any. */
  connectionTo(hostId: string): RpcConnection | undefined
  isSuspect(hostId: string): boolean
}

export type ActorRouterOptions = {
  selfId: string
  clock: Clock
  /** Deadline of a request including retries when the caller gives none, ms. */
  requestTimeoutMs: number
  /** Most requests waiting for a host at once; more fail at once with HOST_UNAVAILABLE. */
  maxWaiting: number
  log: Log
  table: RoutingTable
  local: LocalActors
  peers: PeerConnections
}

/** What one attempt came to: a reply, or a reason to try again. */
type Attempt = { done: true; value: unknown } | { done: false; problem: string }

/** One attempt's request; `caller` is left out, not undefined, when there is none. */
type AskRequest = {
  actor: string
  type: string
  payload: unknown
  timeoutMs: number
  caller?: Caller
}

export type RouteOptions = { timeoutMs?: number | undefined; caller?: Caller | undefined }

/** Counters of what the router did, for status and tests. */
export type RouterCounters = { remote: number; local: number; retries: number; failed: number }

export class ActorRouter {
  readonly counters: RouterCounters = { remote: 0, local: 0, retries: 0, failed: 0 }
  readonly #options: ActorRouterOptions
  readonly #turn = new Map<string, number>()
  readonly #gate: RouteGate
  #nextTicket = 0

  constructor(options: ActorRouterOptions) {
    this.#options = options
    this.#gate = new RouteGate({
      clock: options.clock,
      retryMs: ROUTE_RETRY_MS,
      maxWaiting: options.maxWaiting,
      releaseBatch: RELEASE_BATCH,
    })
  }

  /** Requests waiting for a host that can take them now. */
  get waiting(): number {
    return this.#gate.waiting
  }

  /** True for every deployed actor (the kernel asks only about names it does not run). */
  has(actor: string): boolean {
    return this.#options.table.isDeployed(actor)
  }

  /** Request/reply to `actor` wherever it runs. */
  async ask(
    actor: string,
    type: string,
    payload: unknown,
    options: RouteOptions = {},
  ): Promise<unknown> {
    const { clock } = this.#options
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs
    const deadline = clock.now() + timeoutMs
    let lastProblem = 'no host runs it yet'
    const ticket = this.#nextTicket++
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        this.counters.retries++
        if (clock.now() + ROUTE_RETRY_MS >= deadline) break
        if (!(await this.#gate.wait(deadline, ticket))) {
          this.counters.failed++
          throw new HostUnavailableError(
            actor,
            `${this.#options.maxWaiting} requests already wait for a host (${lastProblem}); retry later`,
          )
        }
      }
      const remaining = deadline - clock.now()
      if (remaining <= 0) break
      const request: AskRequest = { actor, type, payload, timeoutMs: remaining }
      if (options.caller !== undefined) request.caller = options.caller
      const outcome = this.#goesLocal(actor)
        ? await this.#askLocal(request)
        : await this.#askRemote(request)
      if (outcome.done) {
        this.#gate.open()
        return outcome.value
      }
      lastProblem = outcome.problem
    }
    this.counters.failed++
    const placement = this.#options.table.placementOf(actor)
    if (placement && placement.hosts.length === 0) {
      throw new PlacementNoHostError(actor, placement.problem ?? lastProblem)
    }
    throw new HostUnavailableError(actor, `gave up after ${timeoutMs} ms: ${lastProblem}`)
  }

  /**
   * Whether a request goes to this host's own replica: yes while it serves; while it is down
   * (its worker crashed and restarting, or still starting) only if no other host that runs it
   * is connected and trusted — a request queued behind a restart would wait for it, and fill
   * the gateway, although live replicas could answer now.
   */
  #goesLocal(actor: string): boolean {
    const { local, table, peers, selfId } = this.#options
    if (!local.has(actor)) return false
    if (local.serving(actor)) return true
    for (const host of table.placementOf(actor)?.hosts ?? []) {
      if (host !== selfId && !peers.isSuspect(host) && peers.connectionTo(host)?.isOpen)
        return false
    }
    return true
  }

  /** One-way message to `actor` wherever it runs; throws when no host can take it now. */
  tell(actor: string, type: string, payload: unknown, options: RouteOptions = {}): void {
    const { caller } = options
    if (this.#options.local.has(actor)) {
      this.#options.local.tell(actor, type, payload, { caller })
      return
    }
    const connection = this.#openConnection(actor)
    if (!connection)
      throw new HostUnavailableError(actor, 'no open connection to a host that runs it')
    connection.notify(
      'actor.tell',
      caller === undefined ? { actor, type, payload } : { actor, type, payload, caller },
    )
  }

  async #askLocal({ actor, type, payload, timeoutMs, caller }: AskRequest): Promise<Attempt> {
    this.counters.local++
    try {
      return {
        done: true,
        value: await this.#options.local.ask(actor, type, payload, { timeoutMs, caller }),
      }
    } catch (error) {
      // Stopped locally because the placement moved it: not delivered, go where it went.
      if (BaseError.is(error) && NOT_DELIVERED.has((error as { code: string }).code)) {
        return {
          done: false,
          problem: `local actor unavailable (${(error as { code: string }).code})`,
        }
      }
      throw error
    }
  }

  /** `request` is the `actor.ask` frame as it goes to the peer (no `caller` key when there is none). */
  async #askRemote(request: AskRequest): Promise<Attempt> {
    const { actor, type, timeoutMs } = request
    const placement = this.#options.table.placementOf(actor)
    if (placement && placement.hosts.length === 0) {
      return { done: false, problem: placement.problem ?? 'no host matches its placement rule' }
    }
    const connection = this.#openConnection(actor)
    if (!connection) {
      return {
        done: false,
        problem: `no open connection to ${placement?.hosts.join(', ') || 'any host'}`,
      }
    }
    this.counters.remote++
    try {
      return { done: true, value: await connection.request('actor.ask', request, { timeoutMs }) }
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'INTERNAL'
      const problem = `${connection.peer.hostId}: ${code}`
      if (NOT_DELIVERED.has(code)) return { done: false, problem }
      if (!UNCERTAIN.has(code)) throw error
      if (!this.#options.table.isIdempotent(actor, type)) {
        this.counters.failed++
        throw new HostUnavailableError(actor, problem, { maybeDelivered: true, cause: error })
      }
      this.#options.log('router.retry_idempotent', {
        actor,
        type,
        host: connection.peer.hostId,
        code,
      })
      return { done: false, problem }
    }
  }

  /** The first open connection among the actor's remote hosts, in {@link #targets} order. */
  #openConnection(actor: string): RpcConnection | undefined {
    for (const host of this.#targets(actor)) {
      const connection = this.#options.peers.connectionTo(host)
      if (connection?.isOpen) return connection
    }
    return undefined
  }

  /** Picks the remote hosts to try, in order: healthy replicas round-robin, then suspects. */
  #targets(actor: string): string[] {
    const { table, peers, selfId } = this.#options
    const hosts = (table.placementOf(actor)?.hosts ?? []).filter((host) => host !== selfId)
    if (hosts.length <= 1) return hosts
    const turn = this.#turn.get(actor) ?? 0
    this.#turn.set(actor, turn + 1)
    const healthy = hosts.filter((host) => !peers.isSuspect(host))
    const suspect = hosts.filter((host) => peers.isSuspect(host))
    const rotate = (list: string[]) => list.map((_, i) => list[(turn + i) % list.length] as string)
    return [...rotate(healthy), ...suspect]
  }
}
