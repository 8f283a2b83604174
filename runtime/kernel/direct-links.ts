/**
 * The kernel's side of direct links (protocol and guarantees in
 * runtime/worker/link-protocol.ts): counts what each actor sends each other
 * local actor through the kernel, and after `kernel.directLinkAfter`
 * messages joins the two workers with a MessageChannel. Tracks every open
 * link so that a worker that goes away (death, swap, stop) is reported to
 * the other end: a receiver's death makes the sender fail or re-send what
 * was unanswered; a sender's death lets the receiver forget the link.
 *
 * A pair is linked only when the target is running with nothing paused
 * (no restart or swap pending) and its overflow policy is `reject` (the
 * sender enforces the bound itself: MailboxFullError beyond the target's
 * capacity); otherwise its messages keep going through the kernel.
 */
import type { Caller } from '../actor/caller.ts'
import { ActorStoppedError } from '../actor/errors.ts'
import { toWireError, type WireError } from '../errors/base-error.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import { LINK_FENCE } from '../worker/link-protocol.ts'
import type { ActorCell } from './actor-cell.ts'

type LinkEntry = {
  readonly id: number
  readonly key: string
  readonly sender: ActorWorker
  readonly receiver: ActorWorker
  /** The receiver has not closed its end (no crash, no close-links since). */
  open: boolean
  /** The receiver handled the fence (it may have started link messages). */
  fenced: boolean
}

export type DirectLinksOptions = {
  readonly cells: ReadonlyMap<string, ActorCell>
  /** Messages from one actor to another before they are linked; 0 = never. */
  readonly after: number
  readonly askTimeoutMs: number
  /** The principal of an actor's own sends (the kernel path's default). */
  readonly callerOf: (actor: string) => Caller | undefined
}

export class DirectLinks {
  readonly #options: DirectLinksOptions
  readonly #counts = new Map<string, number>()
  readonly #byKey = new Map<string, LinkEntry>()
  readonly #byId = new Map<number, LinkEntry>()
  #nextId = 1

  constructor(options: DirectLinksOptions) {
    this.#options = options
  }

  /** Notes one message `from` sent to `to` through the kernel; links the pair when due. */
  noteSend(from: ActorCell, worker: ActorWorker, to: string): void {
    const { after, cells } = this.#options
    if (after === 0 || to === from.name) return
    const key = `${from.name}\u0000${to}`
    if (this.#byKey.has(key)) return
    const count = (this.#counts.get(key) ?? 0) + 1
    this.#counts.set(key, count)
    if (count < after) return
    const target = cells.get(to)
    const receiver = target?.linkableWorker()
    if (!target || !receiver || from.worker !== worker || worker.closed) return
    this.#link(from.name, worker, target, receiver, key)
  }

  #link(from: string, sender: ActorWorker, target: ActorCell, receiver: ActorWorker, key: string) {
    const id = this.#nextId++
    const entry: LinkEntry = { id, key, sender, receiver, open: true, fenced: false }
    this.#byKey.set(key, entry)
    this.#byId.set(id, entry)
    const channel = new MessageChannel()
    const caller = this.#options.callerOf(from)
    receiver.post({ t: 'link-accept', id, from, port: channel.port2, caller }, [channel.port2])
    const protocol = target.definition.protocol
    sender.post(
      {
        t: 'link',
        id,
        to: target.name,
        port: channel.port1,
        window: target.credits,
        capacity: target.capacity,
        askTimeoutMs: this.#options.askTimeoutMs,
        idempotent: Object.keys(protocol).filter((type) => protocol[type]?.idempotent === true),
      },
      [channel.port1],
    )
  }

  /**
   * The sender's fence: queued in the target's mailbox behind what the
   * sender sent before. If it cannot be queued, the link is abandoned
   * before the receiver took anything from it.
   */
  fence(from: ActorCell, worker: ActorWorker, id: number, to: string): void {
    try {
      const target = this.#options.cells.get(to)
      if (!target) throw new ActorStoppedError(to, 'it is gone')
      target.enqueue(
        {
          type: LINK_FENCE,
          payload: id,
          from: from.name,
          caller: undefined,
          idempotent: false,
          reply: undefined,
        },
        true,
      )
    } catch (error) {
      const entry = this.#byId.get(id)
      if (entry?.open) entry.receiver.post({ t: 'drop-link', id })
      if (entry) entry.open = false
      worker.post({ t: 'link-lost', id, started: false, error: toWireError(error) })
    }
  }

  /** The sender closed its end: the pair may be linked again (after `after` more messages). */
  unlinked(id: number): void {
    const entry = this.#byId.get(id)
    if (!entry) return
    this.#byId.delete(id)
    this.#byKey.delete(entry.key)
    this.#counts.delete(entry.key)
  }

  /** The receiver handled the fence of link `id`. */
  fenced(id: number): void {
    const entry = this.#byId.get(id)
    if (entry) entry.fenced = true
  }

  /** The receiver closed every link into `worker` (crash, close-links, restart). */
  receiverClosed(worker: ActorWorker): void {
    for (const entry of this.#byId.values()) if (entry.receiver === worker) entry.open = false
  }

  /** `worker` is gone or going: tell the other end of each of its links. */
  workerGone(worker: ActorWorker, error: WireError): void {
    for (const entry of [...this.#byId.values()]) {
      if (entry.sender === worker) {
        if (entry.open) entry.receiver.post({ t: 'drop-link', id: entry.id })
        this.unlinked(entry.id)
      } else if (entry.receiver === worker && entry.open) {
        entry.open = false
        entry.sender.post({ t: 'link-lost', id: entry.id, started: entry.fenced, error })
      }
    }
  }
}
