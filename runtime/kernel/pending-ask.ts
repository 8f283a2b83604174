/**
 * One ask waiting for its reply: the mailbox's reply slot and the deadline
 * entry in one object (no promise, no timer of its own), so the hot path of
 * actor-to-actor requests allocates little. Settles exactly once: reply,
 * error, timeout or cancellation, whichever comes first.
 */
import { AskCancelledError, AskTimeoutError } from '../actor/errors.ts'
import type { ReplySlot } from './actor-cell.ts'
import type { AskDeadlines, DeadlineEntry } from './ask-deadlines.ts'

export class PendingAsk implements ReplySlot, DeadlineEntry {
  done = false
  readonly deadline: number
  readonly #actor: string
  readonly #type: string
  readonly #timeoutMs: number
  readonly #deadlines: AskDeadlines
  readonly #onReply: (value: unknown) => void
  readonly #onError: (error: unknown) => void
  readonly #signal: AbortSignal | undefined
  #onAbort: (() => void) | undefined

  constructor(options: {
    actor: string
    type: string
    now: number
    timeoutMs: number
    deadlines: AskDeadlines
    signal: AbortSignal | undefined
    onReply: (value: unknown) => void
    onError: (error: unknown) => void
  }) {
    this.#actor = options.actor
    this.#type = options.type
    this.#timeoutMs = options.timeoutMs
    this.#deadlines = options.deadlines
    this.#onReply = options.onReply
    this.#onError = options.onError
    this.#signal = options.signal
    this.deadline = options.now + options.timeoutMs
    options.deadlines.add(options.timeoutMs, this)
    if (options.signal) {
      const signal = options.signal
      this.#onAbort = () =>
        this.reject(new AskCancelledError(this.#actor, this.#type, { cause: signal.reason }))
      signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  resolve(value: unknown): void {
    if (this.done) return
    this.#settle()
    this.#onReply(value)
  }

  reject(error: unknown): void {
    if (this.done) return
    this.#settle()
    this.#onError(error)
  }

  expire(): void {
    this.reject(new AskTimeoutError(this.#actor, this.#type, this.#timeoutMs))
  }

  #settle(): void {
    this.done = true
    this.#deadlines.settled(this.#timeoutMs)
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort)
  }
}
