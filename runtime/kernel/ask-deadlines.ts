/**
 * Ask timeouts without a timer per ask. Asks with the same timeout expire in
 * the order they were made, so each distinct timeout gets one FIFO and one
 * clock timer aimed at its oldest live entry. Settled asks are dropped from
 * the head as soon as they reach it; replies mostly arrive in order, so the
 * queues stay about as long as the number of asks in flight.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'

/** An ask waiting for its deadline; `done` once it settled any other way. */
export type DeadlineEntry = { done: boolean; readonly deadline: number; expire(): void }

type Lane = { entries: DeadlineEntry[]; head: number; timer: TimerHandle | undefined; at: number }

export class AskDeadlines {
  readonly #clock: Clock
  readonly #lanes = new Map<number, Lane>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Distinct timeouts with asks still waiting (each holds one queue and at most one timer). */
  get lanes(): number {
    return this.#lanes.size
  }

  /** Tracks an entry whose deadline is now + timeoutMs. */
  add(timeoutMs: number, entry: DeadlineEntry): void {
    let lane = this.#lanes.get(timeoutMs)
    if (!lane) {
      lane = { entries: [], head: 0, timer: undefined, at: 0 }
      this.#lanes.set(timeoutMs, lane)
    }
    lane.entries.push(entry)
    if (lane.timer === undefined) this.#arm(lane)
  }

  /** Call after an entry settled: drops settled entries from the head of its lane. */
  settled(timeoutMs: number): void {
    const lane = this.#lanes.get(timeoutMs)
    if (!lane) return
    this.#trim(lane)
    if (lane.entries.length === 0) {
      // Nothing left to expire: a pending timer must not keep the process alive, and an
      // empty lane must not stay in the map (callers choose their timeouts).
      if (lane.timer !== undefined) this.#clock.clearTimeout(lane.timer)
      this.#lanes.delete(timeoutMs)
    }
  }

  #trim(lane: Lane): void {
    while (lane.head < lane.entries.length && lane.entries[lane.head]?.done) lane.head++
    if (lane.head === lane.entries.length) {
      lane.entries = []
      lane.head = 0
    } else if (lane.head > 1024 && lane.head * 2 > lane.entries.length) {
      lane.entries = lane.entries.slice(lane.head)
      lane.head = 0
    }
  }

  #arm(lane: Lane): void {
    const first = lane.entries[lane.head]
    if (!first) return
    lane.at = first.deadline
    lane.timer = this.#clock.setTimeout(
      () => this.#fire(lane),
      Math.max(0, first.deadline - this.#clock.now()),
    )
  }

  #fire(lane: Lane): void {
    const now = this.#clock.now()
    // lane.timer stays set while expiring: an ask added from an expiry callback must not arm
    // a second timer for this lane (the one armed below covers it).
    for (;;) {
      this.#trim(lane)
      const first = lane.entries[lane.head]
      if (!first || first.deadline > now) break
      lane.head++
      first.expire()
    }
    lane.timer = undefined
    this.#trim(lane)
    this.#arm(lane)
  }
}
