/**
 * The event loop's turns as the gateway's served fetch sees them. Bun's HTTP
 * server reads every connection that became readable in one pass of the loop
 * and calls `fetch` for each request in it, one after the other; worker
 * messages — an actor's replies — are handled only after the pass. So a
 * request accepted early in a long pass waits for the rest of the pass before
 * its reply can even be read, while one near the end waits for almost
 * nothing. With a thousand busy connections a pass holds a thousand requests
 * (20–40 ms on a 2-core machine), and which requests are accepted decides
 * their latency.
 *
 * Each request is counted ({@link LoopTurns.arrive}); the first of a pass
 * schedules a callback after it (`setImmediate`, which runs once the pass is
 * over) that records how many requests the pass held and how long it took.
 * From the last passes, {@link LoopTurns.remainingMs} predicts how long the
 * rest of the current one will take, and {@link LoopTurns.saturated} says
 * whether the loop has been saturated for more than a burst (CoDel's
 * standing queue: two passes in a row above the target).
 *
 * ```ts
 * const turns = new LoopTurns({ targetMs: 10 })
 * const index = turns.arrive() // in fetch, for every request
 * if (turns.saturated && turns.remainingMs(index) > 5) refuse()
 * ```
 */
export type LoopTurnsOptions = {
  /** A pass longer than this, ms, is late (the gateway's `targetLagMs`). */
  targetMs: number
  /** Milliseconds with sub-millisecond resolution; default `performance.now`. */
  now?: (() => number) | undefined
  /** Runs `callback` once the current pass of the loop is over; default `setImmediate`. */
  afterTurn?: ((callback: () => void) => void) | undefined
}

/** What one finished pass held. */
export type LoopTurn = { requests: number; ms: number }

/** Weight of the newest pass in the moving averages. */
const WEIGHT = 0.25

export class LoopTurns {
  readonly #now: () => number
  readonly #afterTurn: (callback: () => void) => void
  readonly #targetMs: number
  #open = false
  #start = 0
  #count = 0
  #last: LoopTurn = { requests: 0, ms: 0 }
  #before: LoopTurn = { requests: 0, ms: 0 }
  #costMs = 0
  #averageMs = 0
  #saturated = false

  constructor(options: LoopTurnsOptions) {
    this.#now = options.now ?? (() => performance.now())
    this.#afterTurn = options.afterTurn ?? ((callback) => setImmediate(callback))
    this.#targetMs = options.targetMs
  }

  /** Counts one request in the current pass; returns its place in it (0 for the first). */
  arrive(): number {
    if (!this.#open) {
      this.#open = true
      this.#start = this.#now()
      this.#count = 0
      this.#afterTurn(() => this.#close())
    }
    return this.#count++
  }

  /** The last finished pass. */
  get last(): LoopTurn {
    return this.#last
  }

  /** Moving average of a pass's duration per request, ms. */
  get costMs(): number {
    return this.#costMs
  }

  /**
   * True once two passes in a row took longer than `targetMs` (the loop is
   * saturated, not just taking a burst), until the moving average of the
   * passes' durations is back under it (one short pass amid an overload
   * does not end it).
   */
  get saturated(): boolean {
    return this.#saturated
  }

  /**
   * How long the rest of the current pass is expected to take after the
   * request at `index`, ms: the requests still expected (as many as the
   * larger of the last two passes held) times the cost of one.
   */
  remainingMs(index: number): number {
    return this.remainingRequests(index) * this.#costMs
  }

  /** Requests still expected in the current pass after the one at `index`. */
  remainingRequests(index: number): number {
    return Math.max(0, Math.max(this.#last.requests, this.#before.requests) - index - 1)
  }

  #close(): void {
    const turn = { requests: this.#count, ms: this.#now() - this.#start }
    this.#open = false
    this.#before = this.#last
    this.#last = turn
    this.#costMs = average(this.#costMs, turn.ms / turn.requests)
    this.#averageMs = average(this.#averageMs, turn.ms)
    if (Math.min(turn.ms, this.#before.ms) > this.#targetMs) this.#saturated = true
    else if (this.#averageMs <= this.#targetMs) this.#saturated = false
  }
}

function average(current: number, sample: number): number {
  return current === 0 ? sample : current + WEIGHT * (sample - current)
}
