/**
 * What actors send through their context (`ctx.ask`, `ctx.tell`,
 * `ctx.log`), one postMessage's worth (worker-protocol.ts `out`) at a time:
 * delivered in the order the actor sent it, as one batch (cells batch their
 * dispatch), each message carrying the caller the actor passed or else the
 * actor's own principal. Replies to `ctx.ask` go back batched per worker
 * and turn. A tell that cannot be queued becomes a dead letter and an
 * `actor.log` event `tell.rejected`.
 */
import type { Caller } from '../actor/caller.ts'
import { ActorStoppedError } from '../actor/errors.ts'
import type { Clock } from '../clock/clock.ts'
import { toWireError, type WireError } from '../errors/base-error.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import { type Outbound, OutboundKind } from '../worker/worker-protocol.ts'
import type { ActorCell } from './actor-cell.ts'
import type { DeadLetterReason, DeadLetters } from './dead-letters.ts'
import { DirectLinks, type DirectLinksOptions } from './direct-links.ts'
import type { MessageDelivery } from './message-delivery.ts'
import type { SystemEvent } from './system-events.ts'

export type ActorOutboxOptions = {
  delivery: MessageDelivery
  clock: Clock
  deadLetters: DeadLetters
  emit(event: SystemEvent): void
  /** The principal of an actor's own sends; called once per actor name. */
  actorCaller: ((actor: string) => Caller | undefined) | undefined
  /** Links actors that keep talking to each other (direct-links.ts). */
  links: Omit<DirectLinksOptions, 'callerOf'>
}

type ContextReplies = { ids: number[]; values: unknown[]; failed: [number, WireError][] }

export class ActorOutbox {
  readonly #options: ActorOutboxOptions
  // One principal object per sending actor, not one per message.
  readonly #callers = new Map<string, Caller | undefined>()
  readonly #replies = new Map<ActorWorker, ContextReplies>()
  #repliesScheduled = false

  /** The direct links between the workers of actors that keep talking to each other. */
  readonly links: DirectLinks

  constructor(options: ActorOutboxOptions) {
    this.#options = options
    this.links = new DirectLinks({ ...options.links, callerOf: (actor) => this.callerOf(actor) })
  }

  /** Delivers one `out` message of `from`'s worker. */
  route(from: ActorCell, out: Outbound, worker: ActorWorker): void {
    const { delivery } = this.#options
    delivery.batching = true
    try {
      for (let i = 0; i < out.kinds.length; i++) {
        this.#routeOne(from, worker, out, i)
      }
    } finally {
      delivery.batching = false
    }
  }

  #routeOne(from: ActorCell, worker: ActorWorker, out: Outbound, i: number): void {
    const kind = out.kinds[i] as OutboundKind
    const to = out.tos[i] as string
    const type = out.types[i] as string
    const payload = out.payloads[i]
    if (kind === OutboundKind.log) {
      this.#options.emit({
        type: 'actor.log',
        actor: from.name,
        event: type,
        data: payload as Record<string, unknown> | undefined,
        at: this.#options.clock.now(),
      })
      return
    }
    if (kind >= OutboundKind.fence) {
      this.#linkNotice(from, worker, kind, to, type, payload)
      return
    }
    this.links.noteSend(from, worker, to)
    const caller = out.callers[i] ?? this.callerOf(from.name)
    if (kind === OutboundKind.ask) {
      const id = out.ids[i] as number
      const timeoutMs = out.timeouts[i] as number
      this.#options.delivery.askWith(
        to,
        type,
        payload,
        { from: from.name, caller, timeoutMs: timeoutMs > 0 ? timeoutMs : undefined },
        (value) => this.#reply(worker, id, true, value),
        (error) => this.#reply(worker, id, false, error),
      )
      return
    }
    try {
      this.#options.delivery.tell(to, type, payload, { from: from.name, caller })
    } catch (error) {
      this.#rejectedTell(from.name, to, type, error)
    }
  }

  #rejectedTell(from: string, to: string, type: string, error: unknown): void {
    const { clock, deadLetters, emit } = this.#options
    const letter = (reason: DeadLetterReason) =>
      deadLetters.record({ to, type, from, reason, at: clock.now() })
    if (MailboxFullError.is(error)) letter('mailbox-overflow')
    else if (ActorStoppedError.is(error)) letter('actor-stopped')
    emit({
      type: 'actor.log',
      actor: from,
      event: 'tell.rejected',
      data: { to, type, error: toWireError(error) },
      at: clock.now(),
    })
  }

  /** What a worker says about its direct links (link-protocol.ts). */
  #linkNotice(
    from: ActorCell,
    worker: ActorWorker,
    kind: OutboundKind,
    to: string,
    type: string,
    payload: unknown,
  ): void {
    const links = this.links
    if (kind === OutboundKind.fence) links.fence(from, worker, payload as number, to)
    else if (kind === OutboundKind.unlinked) links.unlinked(payload as number)
    else {
      const { clock, deadLetters } = this.#options
      const reason = payload as DeadLetterReason
      deadLetters.record({ to, type, from: from.name, reason, at: clock.now() })
    }
  }

  /** The principal of `actor`'s own sends (cached per actor). */
  callerOf(actor: string): Caller | undefined {
    const actorCaller = this.#options.actorCaller
    if (!actorCaller) return undefined
    if (!this.#callers.has(actor)) this.#callers.set(actor, actorCaller(actor))
    return this.#callers.get(actor)
  }

  /** Queues the answer to a `ctx.ask`; one `ctx-replies` per worker per turn. */
  #reply(worker: ActorWorker, id: number, ok: boolean, value: unknown): void {
    let queued = this.#replies.get(worker)
    if (!queued) {
      queued = { ids: [], values: [], failed: [] }
      this.#replies.set(worker, queued)
    }
    if (ok) {
      queued.ids.push(id)
      queued.values.push(value)
    } else {
      queued.failed.push([id, toWireError(value)])
    }
    if (this.#repliesScheduled) return
    this.#repliesScheduled = true
    queueMicrotask(() => {
      this.#repliesScheduled = false
      for (const [target, replies] of this.#replies) target.post({ t: 'ctx-replies', ...replies })
      this.#replies.clear()
    })
  }
}
