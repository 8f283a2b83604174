/**
 * How a message enters the kernel, from outside (`system.ask/tell`, a
 * host's RPC handler) or from an actor (actor-outbox.ts): a name not spawned
 * here goes to the remote router (the multi-host layer); otherwise the
 * payload is validated against the actor's protocol (and, with
 * `simulateSerialization`, round-tripped through msgpack), and the envelope —
 * with its sender, caller and reply slot — is queued in the actor's cell.
 */
import type { Caller } from '../actor/caller.ts'
import { ActorNotFoundError, ActorStoppedError, AskCancelledError } from '../actor/errors.ts'
import { validateMessage } from '../actor/validate-message.ts'
import type { Clock } from '../clock/clock.ts'
import { roundTripMsgpack } from '../codec/message-codec.ts'
import type { ActorCell } from './actor-cell.ts'
import type { AskDeadlines } from './ask-deadlines.ts'
import type { DeadLetters } from './dead-letters.ts'
import type { KernelConfig } from './kernel-config.ts'
import { PendingAsk } from './pending-ask.ts'

export type AskOptions = {
  /** Default kernel.askTimeoutMs. */
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /** Sender's name, for dead letters and tracing. */
  from?: string | undefined
  /** On whose behalf the message is sent; the handler reads it as `context.caller`. */
  caller?: Caller | undefined
}

export type TellOptions = {
  /** Sender's name, for dead letters and tracing. */
  from?: string | undefined
  /** On whose behalf the message is sent; the handler reads it as `context.caller`. */
  caller?: Caller | undefined
}

/** Where names that are not spawned on this system go (the multi-host layer). */
export type RemoteRouter = {
  /** True when `actor` lives elsewhere and this router can reach it. */
  has(actor: string): boolean
  ask(actor: string, type: string, payload: unknown, options: AskOptions): Promise<unknown>
  tell(actor: string, type: string, payload: unknown, options: TellOptions): void
}

export type MessageDeliveryOptions = {
  cells: ReadonlyMap<string, ActorCell>
  config: KernelConfig
  clock: Clock
  deadlines: AskDeadlines
  deadLetters: DeadLetters
  isShuttingDown(): boolean
  remote: RemoteRouter | undefined
}

export class MessageDelivery {
  /** Where names not spawned here go; settable after creation (layers created later). */
  remote: RemoteRouter | undefined
  /**
   * True while a batch sent by an actor is being delivered: cells then batch
   * their dispatch instead of posting each message to the worker at once.
   */
  batching = false
  readonly #options: MessageDeliveryOptions

  constructor(options: MessageDeliveryOptions) {
    this.#options = options
    this.remote = options.remote
  }

  /** Request/reply; rejects with a typed error. */
  ask<Reply>(
    actor: string,
    type: string,
    payload: unknown,
    options: AskOptions = {},
  ): Promise<Reply> {
    const { promise, resolve, reject } = Promise.withResolvers<Reply>()
    this.askWith(actor, type, payload, options, resolve as (value: unknown) => void, reject)
    return promise
  }

  /** Core of ask: settles through callbacks, so internal callers need no promise per message. */
  askWith(
    actor: string,
    type: string,
    payload: unknown,
    options: AskOptions,
    onReply: (value: unknown) => void,
    onError: (error: unknown) => void,
  ): void {
    const { cells, clock, config, deadlines } = this.#options
    const remote = this.remote
    if (remote && !cells.has(actor) && remote.has(actor)) {
      Promise.resolve()
        .then(() => remote.ask(actor, type, payload, options))
        .then(onReply, onError)
      return
    }
    let prepared: Prepared
    try {
      prepared = this.#prepare(actor, type, payload, options.from)
      if (options.signal?.aborted) {
        throw new AskCancelledError(actor, type, { cause: options.signal.reason })
      }
    } catch (error) {
      onError(error)
      return
    }
    const pending = new PendingAsk({
      actor,
      type,
      now: clock.now(),
      timeoutMs: options.timeoutMs ?? config.askTimeoutMs,
      deadlines,
      signal: options.signal,
      onReply,
      onError,
    })
    try {
      prepared.cell.enqueue(
        {
          type,
          payload: prepared.value,
          from: options.from,
          caller: options.caller,
          idempotent: prepared.idempotent,
          reply: pending,
        },
        this.batching,
      )
    } catch (error) {
      pending.reject(error)
    }
  }

  /** One-way; throws at once when the message cannot be queued. */
  tell(actor: string, type: string, payload: unknown, options: TellOptions = {}): void {
    if (!this.#options.cells.has(actor) && this.remote?.has(actor)) {
      this.remote.tell(actor, type, payload, options)
      return
    }
    const { cell, value, idempotent } = this.#prepare(actor, type, payload, options.from)
    cell.enqueue(
      {
        type,
        payload: value,
        from: options.from,
        caller: options.caller,
        idempotent,
        reply: undefined,
      },
      this.batching,
    )
  }

  #prepare(actor: string, type: string, payload: unknown, from: string | undefined): Prepared {
    const { cells, config, clock, deadLetters } = this.#options
    const cell = cells.get(actor)
    if (!cell) {
      deadLetters.record({ to: actor, type, from, reason: 'actor-not-found', at: clock.now() })
      throw new ActorNotFoundError(actor)
    }
    if (this.#options.isShuttingDown()) {
      throw new ActorStoppedError(actor, 'the system is shutting down')
    }
    let value = validateMessage(actor, cell.definition.protocol, type, payload)
    if (config.simulateSerialization) value = roundTripMsgpack(value, `payload of '${type}'`)
    const idempotent = cell.definition.protocol[type]?.idempotent === true
    return { cell, value, idempotent }
  }
}

type Prepared = { cell: ActorCell; value: unknown; idempotent: boolean }
