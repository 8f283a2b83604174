/**
 * The receiving end of a direct link, inside the receiver's worker (see
 * link-protocol.ts). Holds what arrives until the sender's fence was handled
 * (and while a control operation waits), hands batches to the worker's
 * queue, collects their outcomes and posts them back in order, and closes
 * with a `closing` that tells the sender how many results it posted.
 */
import type { Caller } from '../actor/caller.ts'
import type { WireError } from '../errors/base-error.ts'
import type { LinkAcceptMessage, LinkBatch, LinkReply } from './link-protocol.ts'
import type { WorkerEnvelope } from './worker-protocol.ts'

/** An envelope in the worker's queue; `link` is set when it came over a direct link. */
export type QueuedEnvelope = WorkerEnvelope & { readonly link?: InboundLink | undefined }

/** Results are posted at least every this many link messages, so the sender can refill. */
const RESULTS_EVERY = 64

export class InboundLink {
  readonly id: number
  readonly from: string
  readonly #port: MessagePort
  readonly #caller: Caller | undefined
  readonly #enqueue: (envelopes: QueuedEnvelope[]) => void
  readonly #hold: () => boolean
  #active = false
  #closed = false
  #held: LinkBatch[] = []
  #values: unknown[] = []
  #errors: [number, WireError][] = []
  /** Results posted so far. */
  #done = 0

  /** `enqueue` appends to the worker's queue; `hold` is true while arrivals must wait. */
  constructor(
    message: LinkAcceptMessage,
    enqueue: (envelopes: QueuedEnvelope[]) => void,
    hold: () => boolean,
  ) {
    this.id = message.id
    this.from = message.from
    this.#port = message.port
    this.#caller = message.caller
    this.#enqueue = enqueue
    this.#hold = hold
    this.#port.onmessage = (event) => this.#arrived(event.data as LinkBatch)
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The sender's fence was handled: its link messages may run now. */
  activate(): void {
    if (this.#closed) return
    this.#active = true
    this.release()
  }

  /** Hands held batches to the queue (after the fence, once no control waits). */
  release(): void {
    if (!this.#active || this.#closed || this.#held.length === 0 || this.#hold()) return
    const held = this.#held
    this.#held = []
    for (const batch of held) this.#enqueue(this.#envelopes(batch))
  }

  answer(value: unknown): void {
    this.#values.push(value)
    if (this.#values.length >= RESULTS_EVERY) this.flush()
  }

  answerError(error: WireError): void {
    this.#errors.push([this.#values.length, error])
    this.#values.push(undefined)
    if (this.#values.length >= RESULTS_EVERY) this.flush()
  }

  /** Posts the outcomes collected so far. */
  flush(): void {
    if (this.#values.length === 0) return
    const reply: LinkReply = { t: 'results', values: this.#values, errors: this.#errors }
    this.#done += this.#values.length
    this.#values = []
    this.#errors = []
    this.#port.postMessage(reply)
  }

  /**
   * Closes the link: posts what is done, then `closing` (with `crashed` when
   * the next message of this link crashed the actor). What arrives later is
   * dropped: the sender re-sends everything after `done` through the kernel.
   */
  close(crashed?: { readonly redeliver: boolean; readonly error: WireError }): void {
    if (this.#closed) return
    this.flush()
    this.#closed = true
    this.#held = []
    const reply: LinkReply = { t: 'closing', done: this.#done, crashed }
    this.#port.postMessage(reply)
    this.#port.onmessage = () => undefined
  }

  /** The sender's worker is gone: nobody reads the answers any more. */
  drop(): void {
    this.#closed = true
    this.#held = []
    this.#port.onmessage = null
    this.#port.close()
  }

  #arrived(batch: LinkBatch): void {
    if (this.#closed) return
    if (!this.#active || this.#hold()) this.#held.push(batch)
    else this.#enqueue(this.#envelopes(batch))
  }

  #envelopes(batch: LinkBatch): QueuedEnvelope[] {
    const { types, payloads, replies, callers } = batch
    const envelopes: QueuedEnvelope[] = new Array(types.length)
    for (let i = 0; i < types.length; i++) {
      envelopes[i] = {
        type: types[i] as string,
        payload: payloads[i],
        reply: replies[i] === 1,
        caller: callers?.[i] ?? this.#caller,
        link: this,
      }
    }
    return envelopes
  }
}
