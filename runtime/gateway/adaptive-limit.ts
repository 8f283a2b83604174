/**
 * The in-flight limit a load shedder applies, adapted to how saturated the
 * event loop is (CoDel's control law applied to the loop's delay instead of
 * a queue's): when the smallest loop lag over an interval stays above
 * `targetLagMs`, every request already waits that long just to be read, so
 * the limit is halved (never below `min`) and the shedder stops queueing,
 * refusing at once what it cannot serve; each interval under the target
 * grows it back by half (up to `max`, the configured `maxInFlight`), and
 * an idle gateway resets it to `max`.
 * Refusing more, cheaply, shortens every turn of the loop: the requests it
 * accepts keep a bounded latency, the rest get their 503 sooner.
 */
export type AdaptiveLimitOptions = { max: number; min: number; targetLagMs: number }

export class AdaptiveLimit {
  readonly #options: AdaptiveLimitOptions
  #current: number

  constructor(options: AdaptiveLimitOptions) {
    this.#options = { ...options, min: Math.min(options.min, options.max) }
    this.#current = options.max
  }

  /** Requests that may be in flight now. */
  get current(): number {
    return this.#current
  }

  /** True while the loop is saturated (the limit is below its maximum): nothing should queue. */
  get cut(): boolean {
    return this.#current < this.#options.max
  }

  /** The gateway went idle: nothing is saturated any more. */
  reset(): void {
    this.#current = this.#options.max
  }

  /** Takes one interval's smallest loop lag, ms; returns the new limit. */
  update(minLagMs: number): number {
    const { max, min, targetLagMs } = this.#options
    if (minLagMs > targetLagMs) this.#current = Math.max(min, Math.floor(this.#current / 2))
    else this.#current = Math.min(max, Math.ceil(this.#current * 1.5))
    return this.#current
  }
}
