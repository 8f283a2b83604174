/**
 * A worker's direct links (link-protocol.ts): the links it sends on (by
 * target name), the links it receives on (by id), and the counters of
 * messages it handled from links, reported to the kernel (which keeps the
 * actor's stats) at most every 20 ms.
 */

import { systemClock } from '../clock/clock.ts'
import type { WireError } from '../errors/base-error.ts'
import { AskDeadlines } from '../kernel/ask-deadlines.ts'
import type {
  DropLinkMessage,
  LinkAcceptMessage,
  LinkLostMessage,
  LinkMessage,
} from './link-protocol.ts'
import { InboundLink, type QueuedEnvelope } from './link-receiver.ts'
import { type KernelPath, LinkSender } from './link-sender.ts'
import type { FromWorker } from './worker-protocol.ts'

const STATS_EVERY_MS = 20

export type WorkerLinksOptions = {
  readonly kernel: Omit<KernelPath, 'deadlines'>
  /** Appends link envelopes to the worker's queue (and starts draining). */
  readonly enqueue: (envelopes: QueuedEnvelope[]) => void
  /** True while link arrivals must wait (a control operation is pending). */
  readonly hold: () => boolean
  readonly post: (message: FromWorker) => void
}

export class WorkerLinks {
  readonly #options: WorkerLinksOptions
  readonly #kernel: KernelPath
  readonly #out = new Map<string, LinkSender>()
  readonly #in = new Map<number, InboundLink>()
  #processed = 0
  #failed = 0
  #durationsUs: number[] = []
  #statsTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: WorkerLinksOptions) {
    this.#options = options
    this.#kernel = { ...options.kernel, deadlines: new AskDeadlines(systemClock) }
  }

  /** The open link to `actor`, if any. */
  to(actor: string): LinkSender | undefined {
    return this.#out.get(actor)
  }

  /** Handles a link control message from the kernel. */
  control(message: LinkMessage | LinkAcceptMessage | LinkLostMessage | DropLinkMessage): void {
    switch (message.t) {
      case 'link':
        this.#out.set(
          message.to,
          new LinkSender(message, this.#kernel, (link) => {
            if (this.#out.get(link.to) === link) this.#out.delete(link.to)
          }),
        )
        return
      case 'link-accept':
        this.#in.set(
          message.id,
          new InboundLink(message, this.#options.enqueue, this.#options.hold),
        )
        return
      case 'link-lost':
        for (const link of this.#out.values()) {
          if (link.id === message.id) link.lost(message.started, message.error)
        }
        return
      case 'drop-link':
        this.#in.get(message.id)?.drop()
        this.#in.delete(message.id)
        return
    }
  }

  /** The fence of link `id` was handled. */
  activate(id: number): void {
    this.#in.get(id)?.activate()
  }

  /** Hands held link batches to the queue (no control waits any more). */
  release(): void {
    for (const link of this.#in.values()) link.release()
  }

  /** Posts the outcomes every inbound link collected. */
  flush(): void {
    for (const link of this.#in.values()) link.flush()
  }

  /**
   * Closes every inbound link; `victim` is the link whose next message
   * crashed the actor. Returns the queue without the closed links' envelopes
   * (unstarted: their senders re-send them through the kernel).
   */
  closeAll(
    queue: readonly QueuedEnvelope[],
    victim?: { link: InboundLink; redeliver: boolean; error: WireError },
  ): QueuedEnvelope[] {
    for (const link of this.#in.values()) {
      link.close(link === victim?.link ? victim : undefined)
    }
    this.#in.clear()
    this.reportStats()
    return queue.filter((envelope) => envelope !== undefined && envelope.link === undefined)
  }

  /** Counts one message handled from a link. */
  record(failed: boolean, durationUs: number): void {
    this.#processed++
    if (failed) this.#failed++
    this.#durationsUs.push(durationUs)
    this.#statsTimer ??= setTimeout(() => this.reportStats(), STATS_EVERY_MS)
  }

  reportStats(): void {
    if (this.#statsTimer !== undefined) clearTimeout(this.#statsTimer)
    this.#statsTimer = undefined
    if (this.#processed === 0) return
    this.#options.post({
      t: 'link-stats',
      processed: this.#processed,
      failed: this.#failed,
      durationsUs: this.#durationsUs,
    })
    this.#processed = 0
    this.#failed = 0
    this.#durationsUs = []
  }
}
