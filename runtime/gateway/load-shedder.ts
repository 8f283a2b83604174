/**
 * Admission control for the gateway's actor requests, as Hono middleware:
 * at most `maxInFlight` requests are served at once; the next `maxQueued`
 * wait in arrival order for a slot, each for at most `maxQueueMs`; anything
 * beyond, or a request whose wait runs out, is answered at once with 503
 * GATEWAY_OVERLOADED and `Retry-After`, before its body is read. Under
 * overload the gateway therefore does a bounded amount of work per accepted
 * request (latency of accepted requests stays near the service time plus the
 * queue budget) and a small constant amount per shed one, and it serves
 * normally again as soon as the load drops: nothing is left to drain but the
 * bounded queue.
 *
 * A request counts as in flight from admission until its handler answered
 * (reply, error or timeout), so a slow actor holds its slots; queued
 * requests whose client went away are skipped.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { type Clock, systemClock, type TimerHandle } from '../clock/clock.ts'
import type { AdmissionLimits } from './admission-config.ts'
import { GatewayOverloadedError } from './errors.ts'
import { sendError } from './send-error.ts'

type Waiter = { deadline: number; admit(): void; shed(): void; signal: AbortSignal }

/** Counters of what the shedder did since it was created. */
export type LoadShedderStats = {
  inFlight: number
  queued: number
  admitted: number
  shed: number
}

export class LoadShedder {
  readonly #config: AdmissionLimits
  readonly #clock: Clock
  readonly #queue: Waiter[] = []
  #head = 0
  #timer: TimerHandle | undefined
  #inFlight = 0
  #admitted = 0
  #shed = 0

  constructor(config: AdmissionLimits, clock: Clock = systemClock) {
    this.#config = config
    this.#clock = clock
  }

  /** The limits it applies. */
  get limits(): AdmissionLimits {
    const { maxInFlight, maxQueued, maxQueueMs } = this.#config
    return { maxInFlight, maxQueued, maxQueueMs }
  }

  get stats(): LoadShedderStats {
    return {
      inFlight: this.#inFlight,
      queued: this.#queue.length - this.#head,
      admitted: this.#admitted,
      shed: this.#shed,
    }
  }

  /** The Hono middleware: `app.use(path, shedder.middleware)`. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    if (!(await this.#enter(c))) return this.#refuse(c)
    try {
      await next()
    } finally {
      this.#leave()
    }
  }

  /** Resolves true once the request holds a slot, false when it is shed. */
  #enter(c: Context): boolean | Promise<boolean> {
    if (this.#inFlight < this.#config.maxInFlight && this.#queue.length === this.#head) {
      this.#take()
      return true
    }
    if (this.#queue.length - this.#head >= this.#config.maxQueued) return false
    return new Promise<boolean>((resolve) => {
      this.#queue.push({
        deadline: this.#clock.now() + this.#config.maxQueueMs,
        admit: () => resolve(true),
        shed: () => resolve(false),
        signal: c.req.raw.signal,
      })
      this.#arm()
    })
  }

  #take(): void {
    this.#inFlight++
    this.#admitted++
  }

  #leave(): void {
    this.#inFlight--
    while (this.#inFlight < this.#config.maxInFlight && this.#head < this.#queue.length) {
      const waiter = this.#dequeue()
      // A client that went away while it waited needs no slot.
      if (waiter.signal.aborted) waiter.shed()
      else {
        this.#take()
        waiter.admit()
      }
    }
  }

  #dequeue(): Waiter {
    const waiter = this.#queue[this.#head++] as Waiter
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head)
      this.#head = 0
    }
    return waiter
  }

  /** One timer, aimed at the oldest waiter's deadline (deadlines are in arrival order). */
  #arm(): void {
    if (this.#timer !== undefined) return
    const first = this.#queue[this.#head]
    if (!first) return
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined
        const now = this.#clock.now()
        while (
          this.#head < this.#queue.length &&
          (this.#queue[this.#head] as Waiter).deadline <= now
        )
          this.#dequeue().shed()
        this.#arm()
      },
      Math.max(0, first.deadline - this.#clock.now()),
    )
  }

  #refuse(c: Context): Response {
    this.#shed++
    return sendError(
      c,
      new GatewayOverloadedError(this.#config.maxInFlight, this.#config.maxQueueMs),
    )
  }
}
