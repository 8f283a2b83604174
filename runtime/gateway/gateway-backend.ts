/**
 * What the HTTP gateway needs from its host: the deployed protocols, a way
 * to send a request to an actor wherever it runs, counters, readiness, and
 * (optionally) operator actions. The host implements it; the gateway knows
 * nothing about placement or RPC.
 */
import type { Caller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'

/** Per-actor counters as exported on /metrics. */
export type ActorCounters = {
  readonly received: number
  readonly processed: number
  readonly failed: number
  readonly restarts: number
  readonly mailboxDepth: number
}

/** Operator actions behind the admin token. */
export type GatewayAdmin = {
  status(): Promise<unknown> | unknown
  placement(): Promise<unknown> | unknown
  swap(request: { actor: string; module: string; export?: string | undefined }): Promise<unknown>
  /** Adds actors to the running domain (`{actors: [...]}`, modules by deployable key); the host validates the body. */
  deploy?(request: { actors: unknown[] }): Promise<unknown>
  /** Applies a signed enrollment list (POST /v1/admin/enrollment); absent: the route answers 404. */
  enrollment?: ((list: unknown) => Promise<unknown> | unknown) | undefined
}

export type GatewayBackend = {
  /** Deployed actors and their protocols (the OpenAPI document is built from these). */
  protocols(): Readonly<Record<string, Protocol>>
  /** Sends a validated request to an actor on behalf of `caller`; rejects with a vigil error. */
  ask(
    actor: string,
    type: string,
    payload: unknown,
    options: { timeoutMs: number; caller?: Caller | undefined },
  ): Promise<unknown>
  /** Counters of the actors running on this host. */
  actorCounters(): Readonly<Record<string, ActorCounters>>
  /** True once the host has joined its domain and started its actors. */
  ready(): boolean
  admin?: GatewayAdmin | undefined
}
