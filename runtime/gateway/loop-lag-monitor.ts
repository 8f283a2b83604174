/**
 * How late the gateway's event loop runs timers, sampled only while the
 * gateway has work: a timer armed every `sampleMs` fires late by about what
 * the loop still had to do, and the smallest lateness over each
 * `intervalMs` is reported to the listeners (load-shedder.ts). The minimum,
 * as CoDel uses the minimum sojourn time, tells a loop that is saturated
 * for a whole interval (every sample late) from one that only had a burst.
 *
 * ```ts
 * const loop = new LoopLagMonitor(clock, { sampleMs: 10, intervalMs: 100 })
 * loop.onInterval((minLagMs, idle) => (idle ? limit.reset() : limit.update(minLagMs)))
 * loop.touch() // on each request; sampling stops after an interval without one
 * ```
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'

export class LoopLagMonitor {
  readonly #clock: Clock
  readonly #sampleMs: number
  readonly #intervalMs: number
  readonly #listeners: ((minLagMs: number, idle: boolean) => void)[] = []
  #timer: TimerHandle | undefined
  #expected = 0
  #windowStart = 0
  #windowMin = Number.POSITIVE_INFINITY
  #touched = false

  constructor(clock: Clock, options: { sampleMs: number; intervalMs: number }) {
    this.#clock = clock
    this.#sampleMs = options.sampleMs
    this.#intervalMs = options.intervalMs
  }

  /**
   * Calls `listener` with each interval's smallest lag, ms, and whether the
   * gateway went idle during it (then the lag is 0 and sampling stops).
   */
  onInterval(listener: (minLagMs: number, idle: boolean) => void): void {
    this.#listeners.push(listener)
  }

  /** Marks the gateway busy: starts sampling if it was idle. */
  touch(): void {
    this.#touched = true
    if (this.#timer !== undefined) return
    this.#windowStart = this.#clock.now()
    this.#windowMin = Number.POSITIVE_INFINITY
    this.#arm(this.#windowStart)
  }

  #arm(now: number): void {
    this.#expected = now + this.#sampleMs
    this.#timer = this.#clock.setTimeout(() => this.#sample(), this.#sampleMs)
  }

  #sample(): void {
    const now = this.#clock.now()
    this.#windowMin = Math.min(this.#windowMin, Math.max(0, now - this.#expected))
    if (now - this.#windowStart >= this.#intervalMs) {
      const idle = !this.#touched
      for (const listener of this.#listeners) listener(idle ? 0 : this.#windowMin, idle)
      this.#touched = false
      this.#windowStart = now
      this.#windowMin = Number.POSITIVE_INFINITY
      if (idle) {
        this.#timer = undefined
        return
      }
    }
    this.#arm(now)
  }
}
