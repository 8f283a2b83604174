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
 *
 * With a loop-lag monitor (loop-lag-monitor.ts), the in-flight limit adapts
 * to the event loop (adaptive-limit.ts): while the loop is saturated the
 * limit is cut and nothing queues, so accepted requests are not slowed by
 * the ones the host cannot serve. A refusal is one prebuilt answer (no error
 * object, no JSON encoding per request): under overload most requests are
 * refused, and what a refusal costs is taken from the accepted ones.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { type Clock, systemClock, type TimerHandle } from '../clock/clock.ts'
import { AdaptiveLimit } from './adaptive-limit.ts'
import type { AdmissionLimits } from './admission-config.ts'
import { errorResponse } from './error-response.ts'
import { GatewayOverloadedError } from './errors.ts'
import type { LoopLagMonitor } from './loop-lag-monitor.ts'

type Waiter = { deadline: number; admit(): void; shed(): void; signal: AbortSignal }

/** Counters of what the shedder did since it was created. */
export type LoadShedderStats = {
  inFlight: number
  queued: number
  admitted: number
  shed: number
  /** The in-flight limit applied now (below `maxInFlight` while the loop is saturated). */
  limit: number
}

/** Adapting the in-flight limit to the event loop's lag. */
export type LoopAdaptation = { loop: LoopLagMonitor; minInFlight: number; targetLagMs: number }

export class LoadShedder {
  readonly #config: AdmissionLimits
  readonly #clock: Clock
  readonly #queue: Waiter[] = []
  #head = 0
  #timer: TimerHandle | undefined
  #inFlight = 0
  #admitted = 0
  #shed = 0
  readonly #adaptive: AdaptiveLimit | undefined
  readonly #loop: LoopLagMonitor | undefined
  readonly #refusal: { body: string; init: ResponseInit }

  constructor(config: AdmissionLimits, clock: Clock = systemClock, adaptation?: LoopAdaptation) {
    this.#config = config
    this.#clock = clock
    const refusal = errorResponse(new GatewayOverloadedError(config.maxInFlight, config.maxQueueMs))
    this.#refusal = {
      body: JSON.stringify(refusal.body),
      init: {
        status: refusal.status,
        headers: { ...refusal.headers, 'content-type': 'application/json' },
      },
    }
    if (adaptation && adaptation.targetLagMs > 0) {
      const adaptive = new AdaptiveLimit({
        max: config.maxInFlight,
        min: adaptation.minInFlight,
        targetLagMs: adaptation.targetLagMs,
      })
      this.#adaptive = adaptive
      this.#loop = adaptation.loop
      adaptation.loop.onInterval((minLagMs, idle) => {
        if (idle) adaptive.reset()
        else adaptive.update(minLagMs)
        if (adaptive.cut) this.#shedQueued()
        else this.#admitQueued()
      })
    }
  }

  /** In-flight requests allowed now. */
  get #limit(): number {
    return this.#adaptive?.current ?? this.#config.maxInFlight
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
      limit: this.#limit,
    }
  }

  /** The Hono middleware: `app.use(path, shedder.middleware)`. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    if (!(await this.#enter(c))) return this.#refuse()
    try {
      await next()
    } finally {
      this.#leave()
    }
  }

  /**
   * The 503 for a request that could neither take a slot nor queue now
   * (counted as shed), else undefined: the gateway's fetch asks this before
   * the framework runs, so a refusal under overload skips routing and
   * middleware. A request it lets through still goes through `middleware`.
   * `saturated`: the caller sees the loop saturated (actor-admission.ts), so
   * a request without a free slot is refused rather than queued.
   */
  refuseEarly(saturated = false): Response | undefined {
    if (this.#inFlight < this.#limit) return undefined
    const queueFull = this.#queue.length - this.#head >= this.#config.maxQueued
    if (!this.#adaptive?.cut && !queueFull && !saturated) return undefined
    return this.refuse()
  }

  /**
   * The 503 for a request refused for a reason decided outside the shedder
   * (actor-admission.ts: read too early in a saturated loop turn), counted
   * as shed.
   */
  refuse(): Response {
    this.#loop?.touch()
    return this.#refuse()
  }

  /** Resolves true once the request holds a slot, false when it is shed. */
  #enter(c: Context): boolean | Promise<boolean> {
    this.#loop?.touch()
    if (this.#inFlight < this.#limit && this.#queue.length === this.#head) {
      this.#take()
      return true
    }
    if (this.#adaptive?.cut || this.#queue.length - this.#head >= this.#config.maxQueued) {
      return false
    }
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
    this.#admitQueued()
  }

  /** Gives free slots to waiters, oldest first. */
  #admitQueued(): void {
    while (this.#inFlight < this.#limit && this.#head < this.#queue.length) {
      const waiter = this.#dequeue()
      // A client that went away while it waited needs no slot.
      if (waiter.signal.aborted) waiter.shed()
      else {
        this.#take()
        waiter.admit()
      }
    }
  }

  /** The loop is saturated: waiters would only wait longer, so they are refused now. */
  #shedQueued(): void {
    while (this.#head < this.#queue.length) this.#dequeue().shed()
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

  #refuse(): Response {
    this.#shed++
    return new Response(this.#refusal.body, this.#refusal.init)
  }
}
