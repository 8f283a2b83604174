import type { Clock, TimerHandle } from './clock.ts'

type Pending = { id: number; at: number; callback: () => void }

/**
 * A clock that moves only when told to. `advance(ms)` fires due timers in
 * time order (timers scheduled by fired callbacks fire too if they fall due).
 * It refuses to go back in time.
 */
export class TestClock implements Clock {
  #now: number
  #next = 1
  #pending: Pending[] = []

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#next++
    this.#pending.push({ id, at: this.#now + Math.max(0, ms), callback })
    return { id }
  }

  clearTimeout(handle: TimerHandle): void {
    this.#pending = this.#pending.filter((timer) => timer.id !== handle.id)
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#pending.length
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('TestClock cannot go back in time')
    const target = this.#now + ms
    for (;;) {
      let due: Pending | undefined
      for (const timer of this.#pending) {
        if (timer.at <= target && (due === undefined || timer.at < due.at)) due = timer
      }
      if (!due) break
      this.#pending = this.#pending.filter((timer) => timer !== due)
      this.#now = Math.max(this.#now, due.at)
      due.callback()
    }
    this.#now = target
  }

  /**
   * Moves time forward by `ms` without firing anything, as a blocked event loop
   * would; timers that fell due fire late, at the next `advance`.
   */
  stall(ms: number): void {
    if (ms < 0) throw new RangeError('TestClock cannot go back in time')
    this.#now += ms
  }

  /** Fires every pending timer (and those they schedule), advancing time as needed. */
  runAll(limit = 10_000): void {
    for (let i = 0; i < limit && this.#pending.length > 0; i++) {
      const next = Math.min(...this.#pending.map((timer) => timer.at))
      this.advance(Math.max(0, next - this.#now))
    }
  }
}
