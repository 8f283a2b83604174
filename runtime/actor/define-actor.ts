/**
 * How an actor is defined: its own module exports one `defineActor({...})`.
 *
 * An actor has a name, a version, a declared protocol (named messages, each
 * with payload, reply and error shapes; payloads are validated where messages
 * enter the runtime), an `init`, one handler per message, and `snapshot` /
 * `migrate` hooks for restarts and hot swap. State is owned by the actor's
 * worker and handled one message at a time; handlers may mutate it.
 * Messages, replies, snapshots and init arguments are plain data (what
 * survives structured clone and msgpack).
 */
import type { z } from 'zod'
import type { Clock } from '../clock/clock.ts'
import type { Caller } from './caller.ts'

/**
 * The right a caller needs to send a message from outside (through a
 * gateway), or `'public'`. The runtime only declares and shows it (OpenAPI
 * `x-vigil-access`); a gateway guard enforces it. `resource` is a path naming
 * the service (`/enf/records`, `/ledger/records`, `/echo`), `action` one of
 * `read`, `write`, `admin` (admin-only messages use `admin`).
 */
export type Access = 'public' | { readonly resource: string; readonly action: string }

/** One message of a protocol. */
export type MessageSpec = {
  /** Validated where the message enters the runtime (ask/tell, RPC, HTTP). */
  payload: z.ZodType
  /** Shape of the reply; `z.void()`/`z.null()` for one-way messages. */
  reply: z.ZodType
  /** Error codes the handler may answer with (documentation and OpenAPI). */
  errors?: readonly string[] | undefined
  /** May be redelivered to a restarted actor if it crashed while handling it. */
  idempotent?: boolean | undefined
  /** One sentence for OpenAPI and `--help`. */
  description?: string | undefined
  /** The right a caller needs to send this message through a gateway, or `'public'`. */
  access: Access
}

/** Message type → spec. Types are `<actor-kind>.<verb>`, e.g. `enf.record`. */
export type Protocol = Readonly<Record<string, MessageSpec>>

/** What a handler can use besides its state. */
export type ActorContext = {
  /** This actor's address (its registered name). */
  readonly self: string
  readonly clock: Clock
  /** Structured event for the host's log (never secrets). */
  log(event: string, data?: Record<string, unknown>): void
  /**
   * The caller of the message being handled (undefined in init, timers and
   * for messages sent without one). Messages this actor sends carry the
   * host's own principal unless it passes `{ caller: context.caller }`.
   * Read it inside the handler (also after its awaits); code running outside
   * a handler (timers, subscriptions) must not rely on it.
   */
  readonly caller: Caller | undefined
  /** Request/reply to another actor by name. */
  ask<Reply = unknown>(
    actor: string,
    type: string,
    payload: unknown,
    options?: ContextSendOptions & { timeoutMs?: number | undefined },
  ): Promise<Reply>
  /** One-way message to another actor by name. */
  tell(actor: string, type: string, payload: unknown, options?: ContextSendOptions): void
}

/** Options of the messages an actor sends through its context. */
export type ContextSendOptions = {
  /** Act on behalf of this caller (usually `context.caller`) instead of the host's principal. */
  caller?: Caller | undefined
}

export type Handler<State, Spec extends MessageSpec> = (
  payload: z.output<Spec['payload']>,
  state: State,
  context: ActorContext,
) => z.input<Spec['reply']> | Promise<z.input<Spec['reply']>>

export type ActorDefinition<
  State = unknown,
  Messages extends Protocol = Protocol,
  Args = unknown,
> = {
  /** Actor kind, kebab-case, e.g. `enf-fingerprint`. */
  readonly name: string
  /** Code version; `migrate` receives the version a snapshot came from. */
  readonly version: number
  readonly protocol: Messages
  /** Builds the initial state from plain-data arguments (inside the worker). */
  init(args: Args, context: ActorContext): State | Promise<State>
  /** One handler per message type of the protocol. */
  readonly receive: { readonly [Type in keyof Messages]: Handler<State, Messages[Type]> }
  /** Plain-data snapshot of the state, taken before a swap and after each message if `snapshotEvery` is set. */
  snapshot?(state: State): unknown
  /** Rebuilds state from a snapshot taken by `fromVersion` (possibly older code). Throw to refuse. */
  migrate?(fromVersion: number, snapshot: unknown, context: ActorContext): State | Promise<State>
  /** Releases resources on stop (close sockets, flush). */
  terminate?(state: State, context: ActorContext): void | Promise<void>
  /** No state worth keeping: the placement may run replicas on several hosts. */
  readonly stateless?: boolean | undefined
}

/** Identity function that checks and infers an actor definition's types. */
export function defineActor<State, Messages extends Protocol, Args = void>(
  definition: ActorDefinition<State, Messages, Args>,
): ActorDefinition<State, Messages, Args> {
  return definition
}
