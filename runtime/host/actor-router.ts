/**
 * Location-transparent routing: sends a request to an actor wherever the
 * placement puts it, and makes host failures invisible where that is safe.
 *
 * The kernel hands every name it does not run itself to this router, so an
 * actor ref works the same in-process and across hosts. A request goes to
 * one of the actor's hosts (replicas round-robin, suspected hosts last). It
 * is retried on the next placement, until its deadline, when it was surely
 * not delivered (no connection, the host no longer runs the actor, the
 * actor was stopping), and — only if the message is marked idempotent —
 * when delivery is uncertain (connection lost or timed out mid-request).
 * A non-idempotent request with uncertain delivery fails with
 * HOST_UNAVAILABLE (`meta.maybeDelivered: true`) rather than risk running twice.
 */
import type { Caller } from '../actor/caller.ts'
import { type Clock, sleep } from '../clock/clock.ts'
import { BaseError } from '../errors/base-error.ts'
import type { Log } from '../log/create-logger.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { HostUnavailableError, PlacementNoHostError } from './errors.ts'
import type { ActorPlacement } from './place-actors.ts'

/** Codes that prove the request never reached the actor. */
const NOT_DELIVERED = new Set([
  'PLACEMENT_STALE',
  'ACTOR_NOT_FOUND',
  'ACTOR_STOPPED',
  'RPC_QUEUE_FULL',
])
/** Codes after which the request may or may not have been processed. */
const UNCERTAIN = new Set(['RPC_CONNECTION_CLOSED', 'RPC_TIMEOUT'])

/** Pause between attempts while placement or membership catches up, ms. */
export const ROUTE_RETRY_MS = 25

export type ActorRouterOptions = {
  selfId: string
  clock: Clock
  /** Deadline of a request including retries when the caller gives none, ms. */
  requestTimeoutMs: number
  log: Log
  isDeployed(actor: string): boolean
  placementOf(actor: string): ActorPlacement | undefined
  isLocal(actor: string): boolean
  localAsk(
    actor: string,
    type: string,
    payload: unknown,
    options: { timeoutMs: number; caller: Caller | undefined },
  ): Promise<unknown>
  localTell(actor: string, type: string, payload: unknown, caller: Caller | undefined): void
  connectionTo(hostId: string): RpcConnection | undefined
  isSuspect(hostId: string): boolean
  isIdempotent(actor: string, type: string): boolean
}

/** Counters of what the router did, for status and tests. */
export type RouterCounters = { remote: number; local: number; retries: number; failed: number }

export class ActorRouter {
  readonly counters: RouterCounters = { remote: 0, local: 0, retries: 0, failed: 0 }
  readonly #options: ActorRouterOptions
  readonly #turn = new Map<string, number>()

  constructor(options: ActorRouterOptions) {
    this.#options = options
  }

  /** True for every deployed actor (the kernel asks only about names it does not run). */
  has(actor: string): boolean {
    return this.#options.isDeployed(actor)
  }

  /** Picks the remote hosts to try, in order: healthy replicas round-robin, then suspects. */
  #targets(actor: string): string[] {
    const placement = this.#options.placementOf(actor)
    const hosts = (placement?.hosts ?? []).filter((host) => host !== this.#options.selfId)
    if (hosts.length <= 1) return hosts
    const turn = this.#turn.get(actor) ?? 0
    this.#turn.set(actor, turn + 1)
    const healthy = hosts.filter((host) => !this.#options.isSuspect(host))
    const suspect = hosts.filter((host) => this.#options.isSuspect(host))
    const rotate = (list: string[]) => list.map((_, i) => list[(turn + i) % list.length] as string)
    return [...rotate(healthy), ...suspect]
  }

  /** Request/reply to `actor` wherever it runs. */
  async ask(
    actor: string,
    type: string,
    payload: unknown,
    options: { timeoutMs?: number | undefined; caller?: Caller | undefined } = {},
  ): Promise<unknown> {
    const { clock } = this.#options
    const { caller } = options
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs
    const deadline = clock.now() + timeoutMs
    let lastProblem = 'no host runs it yet'
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        this.counters.retries++
        if (clock.now() + ROUTE_RETRY_MS >= deadline) break
        await sleep(clock, ROUTE_RETRY_MS)
      }
      const remaining = deadline - clock.now()
      if (remaining <= 0) break
      if (this.#options.isLocal(actor)) {
        this.counters.local++
        try {
          return await this.#options.localAsk(actor, type, payload, {
            timeoutMs: remaining,
            caller,
          })
        } catch (error) {
          // Stopped locally because the placement moved it: not delivered, go where it went.
          if (BaseError.is(error) && NOT_DELIVERED.has((error as { code: string }).code)) {
            lastProblem = `local actor unavailable (${(error as { code: string }).code})`
            continue
          }
          throw error
        }
      }
      const placement = this.#options.placementOf(actor)
      if (placement && placement.hosts.length === 0) {
        lastProblem = placement.problem ?? 'no host matches its placement rule'
        continue
      }
      const connection = this.#targets(actor)
        .map((host) => this.#options.connectionTo(host))
        .find((candidate) => candidate?.isOpen)
      if (!connection) {
        lastProblem = `no open connection to ${placement?.hosts.join(', ') || 'any host'}`
        continue
      }
      this.counters.remote++
      try {
        return await connection.request(
          'actor.ask',
          caller === undefined
            ? { actor, type, payload, timeoutMs: remaining }
            : { actor, type, payload, timeoutMs: remaining, caller },
          { timeoutMs: remaining },
        )
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'INTERNAL'
        if (NOT_DELIVERED.has(code)) {
          lastProblem = `${connection.peer.hostId}: ${code}`
          continue
        }
        if (UNCERTAIN.has(code)) {
          if (this.#options.isIdempotent(actor, type)) {
            lastProblem = `${connection.peer.hostId}: ${code}`
            this.#options.log('router.retry_idempotent', {
              actor,
              type,
              host: connection.peer.hostId,
              code,
            })
            continue
          }
          this.counters.failed++
          throw new HostUnavailableError(actor, `${connection.peer.hostId}: ${code}`, {
            maybeDelivered: true,
            cause: error,
          })
        }
        throw error
      }
    }
    this.counters.failed++
    const placement = this.#options.placementOf(actor)
    if (placement && placement.hosts.length === 0) {
      throw new PlacementNoHostError(actor, placement.problem ?? lastProblem)
    }
    throw new HostUnavailableError(actor, `gave up after ${timeoutMs} ms: ${lastProblem}`)
  }

  /** One-way message to `actor` wherever it runs; throws when no host can take it now. */
  tell(
    actor: string,
    type: string,
    payload: unknown,
    options: { caller?: Caller | undefined } = {},
  ): void {
    const { caller } = options
    if (this.#options.isLocal(actor)) {
      this.#options.localTell(actor, type, payload, caller)
      return
    }
    const connection = this.#targets(actor)
      .map((host) => this.#options.connectionTo(host))
      .find((candidate) => candidate?.isOpen)
    if (!connection)
      throw new HostUnavailableError(actor, 'no open connection to a host that runs it')
    connection.notify(
      'actor.tell',
      caller === undefined ? { actor, type, payload } : { actor, type, payload, caller },
    )
  }
}
