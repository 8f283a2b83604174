/**
 * A bounded mailbox with two lanes, owned by the parent side of an actor
 * (postMessage has no backpressure, so the bound must live here).
 *
 * - The user lane holds at most `capacity` messages, FIFO, so messages from
 *   one sender keep their order. When full, the overflow policy decides:
 *   `reject` refuses the new message (the caller answers MailboxFull at once),
 *   `drop-newest` drops it, `drop-oldest` drops the head; dropped messages are
 *   returned so the caller can record them as dead letters.
 * - The system lane (restart, swap, stop…) is small and always overtakes the
 *   user lane; it is not ordered relative to user messages.
 */
import type { OverflowPolicy } from '../kernel/kernel-config.ts'

export type MailboxOptions = {
  /** Most user messages held at once. */
  capacity: number
  overflow: OverflowPolicy
}

/** Outcome of {@link Mailbox.offer}. `dropped` is the message that became a dead letter, if any. */
export type OfferResult<Message> =
  | { readonly status: 'queued' }
  | { readonly status: 'rejected' }
  | { readonly status: 'dropped-newest'; readonly dropped: Message }
  | { readonly status: 'dropped-oldest'; readonly dropped: Message }

/** Array-backed FIFO with a moving head; compacts when the consumed prefix dominates. */
class Fifo<Item> {
  #items: Item[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: Item): void {
    this.#items.push(item)
  }

  shift(): Item | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head] as Item
    // Release the reference so a long-lived queue does not pin consumed messages.
    this.#items[this.#head] = undefined as Item
    this.#head++
    this.#compact()
    return item
  }

  take(max: number): Item[] {
    const end = Math.min(this.#items.length, this.#head + max)
    const out = this.#items.slice(this.#head, end)
    this.#items.fill(undefined as Item, this.#head, end)
    this.#head = end
    this.#compact()
    return out
  }

  unshiftAll(items: readonly Item[]): void {
    if (items.length === 0) return
    this.#items = [...items, ...this.#items.slice(this.#head)]
    this.#head = 0
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}

/** Bounded two-lane mailbox; see the module comment for the overflow rules. */
export class Mailbox<Message, SystemMessage = never> {
  readonly capacity: number
  readonly overflow: OverflowPolicy
  #user = new Fifo<Message>()
  #system = new Fifo<SystemMessage>()

  constructor(options: MailboxOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`mailbox capacity must be a positive integer, got ${options.capacity}`)
    }
    this.capacity = options.capacity
    this.overflow = options.overflow
  }

  /** User messages waiting. */
  get depth(): number {
    return this.#user.length
  }

  /** System messages waiting. */
  get systemDepth(): number {
    return this.#system.length
  }

  /** Adds a user message, applying the overflow policy when full. */
  offer(message: Message): OfferResult<Message> {
    if (this.#user.length < this.capacity) {
      this.#user.push(message)
      return { status: 'queued' }
    }
    switch (this.overflow) {
      case 'reject':
        return { status: 'rejected' }
      case 'drop-newest':
        return { status: 'dropped-newest', dropped: message }
      case 'drop-oldest': {
        const dropped = this.#user.shift() as Message
        this.#user.push(message)
        return { status: 'dropped-oldest', dropped }
      }
    }
  }

  /**
   * Puts messages back at the head, in order (messages that were dispatched
   * but never started, e.g. after a crash). May exceed the capacity by at most
   * the number of messages that were in flight.
   */
  requeue(messages: readonly Message[]): void {
    this.#user.unshiftAll(messages)
  }

  /** Removes and returns up to `max` user messages, oldest first. */
  take(max: number): Message[] {
    return this.#user.take(max)
  }

  /** Removes and returns every user message (stop, shutdown deadline). */
  drain(): Message[] {
    return this.#user.take(this.#user.length)
  }

  /** Adds a control message; it overtakes every user message. */
  pushSystem(message: SystemMessage): void {
    this.#system.push(message)
  }

  /** Next control message, if any. */
  takeSystem(): SystemMessage | undefined {
    return this.#system.shift()
  }
}
