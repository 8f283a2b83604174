/**
 * The sending end of a direct link, inside the sender's worker (see
 * link-protocol.ts for the protocol and its guarantees). Keeps every message
 * until its result came back, at most `window` of them on the port and at
 * most `capacity` queued behind; times asks out itself (the kernel is not
 * on this path); when the link closes, hands what the receiver never started
 * back to the kernel path in order.
 */
import type { Caller } from '../actor/caller.ts'
import { ActorCrashedError, AskTimeoutError } from '../actor/errors.ts'
import { systemClock } from '../clock/clock.ts'
import { BaseError, toWireError, type WireError } from '../errors/base-error.ts'
import type { AskDeadlines, DeadlineEntry } from '../kernel/ask-deadlines.ts'
import type { DeadLetterReason } from '../kernel/dead-letters.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import type { LinkBatch, LinkMessage, LinkReply } from './link-protocol.ts'
import { OutboundKind } from './worker-protocol.ts'

/** Sends one message through the kernel (`id` the ask id, 0 for a tell). */
export type KernelSend = (
  kind: OutboundKind,
  id: number,
  to: string,
  type: string,
  payload: unknown,
  timeoutMs: number,
  caller: Caller | undefined,
) => void

/** How the sender's worker sends through the kernel and settles its own asks. */
export type KernelPath = {
  readonly send: KernelSend
  readonly pending: Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>
  /** Ask timeouts without a timer per ask (shared by the worker's links). */
  readonly deadlines: AskDeadlines
}

/** One message on the link; `id` is the ask id (0 for a tell). */
class Entry implements DeadlineEntry {
  /** Settled (answered, timed out or handed back); a queued one is then not sent. */
  done = false
  constructor(
    readonly link: LinkSender,
    readonly id: number,
    readonly type: string,
    readonly payload: unknown,
    readonly caller: Caller | undefined,
    readonly timeoutMs: number,
    readonly deadline: number,
  ) {}

  expire(): void {
    this.link.expire(this)
  }
}

export class LinkSender {
  readonly id: number
  readonly to: string
  readonly #port: MessagePort
  readonly #window: number
  readonly #capacity: number
  readonly #askTimeoutMs: number
  readonly #idempotent: ReadonlySet<string>
  readonly #kernel: KernelPath
  readonly #onClosed: (link: LinkSender) => void
  /** Sent on the port, unanswered, in order. */
  #unacked: Entry[] = []
  #unackedHead = 0
  /** Behind the window, not sent yet. */
  #queue: Entry[] = []
  #flushScheduled = false
  #closed = false

  constructor(message: LinkMessage, kernel: KernelPath, onClosed: (link: LinkSender) => void) {
    this.id = message.id
    this.to = message.to
    this.#port = message.port
    this.#window = message.window
    this.#capacity = message.capacity
    this.#askTimeoutMs = message.askTimeoutMs
    this.#idempotent = new Set(message.idempotent)
    this.#kernel = kernel
    this.#onClosed = onClosed
    this.#port.onmessage = (event) => this.#onReply(event.data as LinkReply)
    // Everything sent through the kernel before this point is ahead of the fence.
    kernel.send(OutboundKind.fence, 0, message.to, '', message.id, 0, undefined)
  }

  /** Queues an ask (registered in `pending` under `id` by the caller) or a tell (`id` 0). */
  send(id: number, type: string, payload: unknown, timeoutMs: number, caller: Caller | undefined) {
    if (this.#queue.length >= this.#capacity) {
      this.#refuse(id, type, new MailboxFullError(this.to, this.#capacity), 'mailbox-overflow')
      return
    }
    const ms = timeoutMs > 0 ? timeoutMs : this.#askTimeoutMs
    const entry = new Entry(this, id, type, payload, caller, ms, systemClock.now() + ms)
    if (id !== 0) this.#kernel.deadlines.add(ms, entry)
    this.#queue.push(entry)
    if (!this.#flushScheduled) {
      this.#flushScheduled = true
      queueMicrotask(() => this.#flush())
    }
  }

  /** The receiver's worker is gone (told by the kernel). */
  lost(started: boolean, error: WireError): void {
    if (this.#closed) return
    const unacked = this.#takeUnacked()
    if (!started) {
      this.#close(unacked)
      return
    }
    const resend: Entry[] = []
    for (const entry of unacked) {
      if (this.#idempotent.has(entry.type)) resend.push(entry)
      else this.#fail(entry, error)
    }
    this.#close(resend)
  }

  #flush(): void {
    this.#flushScheduled = false
    if (this.#closed) return
    const types: string[] = []
    const payloads: unknown[] = []
    const replies: (0 | 1)[] = []
    let callers: (Caller | undefined)[] | undefined
    let taken = 0
    while (taken < this.#queue.length && this.#inFlight() < this.#window) {
      const entry = this.#queue[taken++] as Entry
      if (entry.done) {
        this.#dead(entry.type, 'expired')
        continue
      }
      if (entry.caller !== undefined) {
        callers ??= new Array<Caller | undefined>(types.length)
        callers[types.length] = entry.caller
      } else if (callers) callers[types.length] = undefined
      this.#unacked.push(entry)
      types.push(entry.type)
      payloads.push(entry.payload)
      replies.push(entry.id === 0 ? 0 : 1)
    }
    this.#queue = taken === this.#queue.length ? [] : this.#queue.slice(taken)
    if (types.length === 0) return
    const batch: LinkBatch = callers
      ? { t: 'batch', types, payloads, replies, callers }
      : { t: 'batch', types, payloads, replies }
    this.#port.postMessage(batch)
  }

  #inFlight(): number {
    return this.#unacked.length - this.#unackedHead
  }

  #onReply(reply: LinkReply): void {
    if (this.#closed) return
    if (reply.t === 'results') {
      this.#onResults(reply.values, reply.errors)
      return
    }
    const unacked = this.#takeUnacked()
    if (reply.crashed) {
      const victim = unacked.shift()
      if (victim && reply.crashed.redeliver) unacked.unshift(victim)
      else if (victim) this.#fail(victim, reply.crashed.error)
    }
    this.#close(unacked)
  }

  #onResults(values: readonly unknown[], errors: readonly (readonly [number, WireError])[]) {
    const base = this.#unackedHead
    this.#unackedHead += values.length
    let next = 0
    for (let i = 0; i < values.length; i++) {
      const entry = this.#unacked[base + i] as Entry
      this.#unacked[base + i] = undefined as unknown as Entry
      const error = errors[next]
      if (error !== undefined && error[0] === i) {
        next++
        this.#settle(entry, false, error[1])
      } else {
        this.#settle(entry, true, values[i])
      }
    }
    if (this.#unackedHead === this.#unacked.length) {
      this.#unacked = []
      this.#unackedHead = 0
    } else if (this.#unackedHead > 4096) {
      this.#unacked = this.#unacked.slice(this.#unackedHead)
      this.#unackedHead = 0
    }
    if (this.#queue.length > 0 && !this.#flushScheduled) this.#flush()
  }

  #settle(entry: Entry, ok: boolean, value: unknown): void {
    if (entry.id === 0) {
      if (!ok) this.#rejectedTell(entry.type, value as WireError)
      return
    }
    if (entry.done) return
    this.#handOver(entry)
    const pending = this.#kernel.pending.get(entry.id)
    if (!pending) return
    this.#kernel.pending.delete(entry.id)
    if (ok) pending.resolve(value)
    else pending.reject(BaseError.fromWire(value as WireError))
  }

  #takeUnacked(): Entry[] {
    const unacked = this.#unacked.slice(this.#unackedHead)
    this.#unacked = []
    this.#unackedHead = 0
    return unacked
  }

  /** Hands `resend` and the queue back to the kernel path, in order, then says so. */
  #close(resend: Entry[]): void {
    this.#closed = true
    const now = systemClock.now()
    for (const entry of [...resend, ...this.#queue]) {
      if (entry.done) {
        this.#dead(entry.type, 'expired')
        continue
      }
      if (entry.id !== 0) this.#handOver(entry)
      const left = entry.id === 0 ? 0 : Math.max(1, Math.ceil(entry.deadline - now))
      const kind = entry.id === 0 ? OutboundKind.tell : OutboundKind.ask
      this.#kernel.send(kind, entry.id, this.to, entry.type, entry.payload, left, entry.caller)
    }
    this.#queue = []
    this.#kernel.send(OutboundKind.unlinked, 0, this.to, '', this.id, 0, undefined)
    this.#port.onmessage = null
    this.#port.close()
    this.#onClosed(this)
  }

  #fail(entry: Entry, error: WireError): void {
    if (entry.id === 0) {
      this.#dead(entry.type, 'actor-crashed')
      return
    }
    const crash = new ActorCrashedError(this.to, entry.type, { cause: BaseError.fromWire(error) })
    this.#settle(entry, false, crash.toWire())
  }

  /** Marks an ask settled here (its deadline no longer fires). */
  #handOver(entry: Entry): void {
    entry.done = true
    this.#kernel.deadlines.settled(entry.timeoutMs)
  }

  /** Called by the shared deadlines when an ask on this link timed out. */
  expire(entry: Entry): void {
    if (entry.done) return
    this.#settle(entry, false, new AskTimeoutError(this.to, entry.type, entry.timeoutMs).toWire())
  }

  #refuse(id: number, type: string, error: BaseError, reason: DeadLetterReason): void {
    if (id === 0) {
      this.#dead(type, reason)
      this.#rejectedTell(type, error.toWire())
      return
    }
    const pending = this.#kernel.pending.get(id)
    this.#kernel.pending.delete(id)
    pending?.reject(error)
  }

  #dead(type: string, reason: DeadLetterReason): void {
    this.#kernel.send(OutboundKind.dead, 0, this.to, type, reason, 0, undefined)
  }

  /** As the kernel path reports a tell it could not queue: an `actor.log` event. */
  #rejectedTell(type: string, error: WireError): void {
    this.#kernel.send(
      OutboundKind.log,
      0,
      '',
      'tell.rejected',
      { to: this.to, type, error: toWireError(error) },
      0,
      undefined,
    )
  }
}
