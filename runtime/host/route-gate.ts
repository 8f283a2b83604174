/**
 * Where requests wait while no host can take them (the host that ran the
 * actor died and the placement has not moved yet).
 *
 * Instead of every waiting request polling on its own timer (thousands of
 * timers and attempts per second during an outage, which starve the host
 * just when the new placement should be served), the waiters queue in
 * arrival order and one probe is let through per retry interval. When a
 * request gets through (the probe or a new one), {@link RouteGate.open}
 * releases the queue in order, at most `releaseBatch` per turn of the event
 * loop, so the requests that waited go out oldest first and fresh ones are
 * not starved behind a burst. The queue is bounded: beyond `maxWaiting` a
 * request is refused at once (the caller fails it with HOST_UNAVAILABLE,
 * surely not delivered) rather than wait for a deadline it will miss.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'

export type RouteGateOptions = {
  clock: Clock
  /** Pause between two probes while nothing gets through, ms. */
  retryMs: number
  /** Most requests waiting at once; more are refused. */
  maxWaiting: number
  /** Waiters released per event-loop turn once the route is back. */
  releaseBatch: number
}

type Waiter = { resolve(): void; timer: TimerHandle; settled: boolean; ticket: number }

export class RouteGate {
  readonly #options: RouteGateOptions
  readonly #queue: Waiter[] = []
  #head = 0
  #probe: TimerHandle | undefined
  #releasing = false
  /** Waiters neither released nor past their deadline (the queue may still hold settled ones). */
  #live = 0

  constructor(options: RouteGateOptions) {
    this.#options = options
  }

  /** How many requests wait now. */
  get waiting(): number {
    return this.#live
  }

  /**
   * Waits for a turn to try again, at most until `deadline` (clock ms).
   * Resolves true for a turn (or at the deadline); false at once when the
   * queue is full. `ticket` orders the queue (smaller goes first: a request
   * that tried and must wait again keeps its place).
   */
  wait(deadline: number, ticket: number): Promise<boolean> {
    if (this.waiting >= this.#options.maxWaiting) return Promise.resolve(false)
    const { promise, resolve } = Promise.withResolvers<boolean>()
    const { clock } = this.#options
    const waiter: Waiter = {
      ticket,
      settled: false,
      resolve: () => {
        if (waiter.settled) return
        waiter.settled = true
        this.#live--
        clock.clearTimeout(waiter.timer)
        resolve(true)
      },
      timer: clock.setTimeout(() => waiter.resolve(), Math.max(0, deadline - clock.now())),
    }
    this.#live++
    this.#enqueue(waiter)
    this.#scheduleProbe()
    return promise
  }

  /** A request got through: release every waiter, oldest first, in paced batches. */
  open(): void {
    if (this.#releasing || this.waiting === 0) return
    this.#releasing = true
    this.#releaseBatch()
  }

  #releaseBatch(): void {
    let released = 0
    while (this.#head < this.#queue.length && released < this.#options.releaseBatch) {
      const waiter = this.#shift()
      if (waiter.settled) continue
      waiter.resolve()
      released++
    }
    this.#compact()
    if (this.waiting > 0) setImmediate(() => this.#releaseBatch())
    else this.#releasing = false
  }

  #scheduleProbe(): void {
    if (this.#probe) return
    this.#probe = this.#options.clock.setTimeout(() => {
      this.#probe = undefined
      // Let the oldest live waiter try; it calls open() if it gets through.
      while (this.#head < this.#queue.length) {
        const waiter = this.#shift()
        if (waiter.settled) continue
        waiter.resolve()
        break
      }
      this.#compact()
      if (this.waiting > 0) this.#scheduleProbe()
    }, this.#options.retryMs)
  }

  #enqueue(waiter: Waiter): void {
    const queue = this.#queue
    if (this.#head >= queue.length || (queue[queue.length - 1] as Waiter).ticket < waiter.ticket) {
      queue.push(waiter)
      return
    }
    let low = this.#head
    let high = queue.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((queue[middle] as Waiter).ticket < waiter.ticket) low = middle + 1
      else high = middle
    }
    queue.splice(low, 0, waiter)
  }

  #shift(): Waiter {
    const waiter = this.#queue[this.#head] as Waiter
    this.#queue[this.#head] = undefined as unknown as Waiter
    this.#head++
    return waiter
  }

  #compact(): void {
    if (this.#head >= this.#queue.length) {
      this.#queue.length = 0
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head)
      this.#head = 0
    }
  }
}
