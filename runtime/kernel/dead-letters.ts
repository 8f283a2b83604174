/**
 * Dead letters: messages that reached no handler (unknown actor, dropped by
 * a full mailbox, left over at a stop deadline, lost with a crash). All are
 * counted; the most recent `capacity` are kept for inspection, without their
 * payloads (which may hold personal data) — only type, route and reason.
 */
export type DeadLetterReason =
  | 'actor-not-found'
  | 'mailbox-overflow'
  | 'actor-crashed'
  | 'actor-stopped'
  | 'shutdown-timeout'
  | 'expired'

/** One recorded dead letter. */
export type DeadLetter = {
  readonly to: string
  readonly type: string
  readonly from: string | undefined
  readonly reason: DeadLetterReason
  /** Clock time when it was recorded. */
  readonly at: number
}

export class DeadLetters {
  readonly capacity: number
  #recent: DeadLetter[] = []
  #count = 0
  #byActor = new Map<string, number>()

  constructor(capacity: number) {
    this.capacity = capacity
  }

  record(letter: DeadLetter): void {
    this.#count++
    this.#byActor.set(letter.to, (this.#byActor.get(letter.to) ?? 0) + 1)
    if (this.capacity === 0) return
    this.#recent.push(letter)
    if (this.#recent.length > this.capacity)
      this.#recent.splice(0, this.#recent.length - this.capacity)
  }

  /** Every dead letter ever recorded. */
  get count(): number {
    return this.#count
  }

  /** Dead letters addressed to one actor. */
  countFor(actor: string): number {
    return this.#byActor.get(actor) ?? 0
  }

  /** The most recent dead letters, oldest first. */
  list(): readonly DeadLetter[] {
    return [...this.#recent]
  }
}
