/**
 * Admission control of the gateway's actor requests, per actor: requests to
 * an actor named in `admission.actors` go through a {@link LoadShedder} of
 * its own (its own slots and queue, its limits over the shared ones), every
 * other actor's through the shared one. A fixed number of slots cannot suit
 * every actor: hundreds in flight cost an actor that answers in 0.1 ms
 * nothing, but queue for ~256 ms at one that works 1 ms per message, so the
 * latency of its accepted requests is bounded only by a limit sized to its
 * cost; and an actor with its own slots cannot starve the others of theirs.
 * Shedders exist only for configured names, so request paths cannot add any.
 * They share one event-loop lag monitor: a saturated loop cuts every
 * shedder's in-flight limit (load-shedder.ts).
 */
import type { MiddlewareHandler } from 'hono'
import { type Clock, systemClock } from '../clock/clock.ts'
import type { AdmissionConfig } from './admission-config.ts'
import { LoadShedder } from './load-shedder.ts'
import { LoopLagMonitor } from './loop-lag-monitor.ts'

const ACTORS_PREFIX = '/v1/actors/'

/** How often the loop's lag is sampled, ms (a few samples per interval). */
const LAG_SAMPLE_MS = 10

export class ActorAdmission {
  /** The shedder of every actor without limits of its own. */
  readonly shared: LoadShedder
  readonly #own = new Map<string, LoadShedder>()

  constructor(config: AdmissionConfig, clock: Clock = systemClock) {
    const loop = new LoopLagMonitor(clock, {
      sampleMs: Math.min(LAG_SAMPLE_MS, config.lagIntervalMs),
      intervalMs: config.lagIntervalMs,
    })
    const adaptation = { loop, minInFlight: config.minInFlight, targetLagMs: config.targetLagMs }
    this.shared = new LoadShedder(config, clock, adaptation)
    for (const [actor, limits] of Object.entries(config.actors)) {
      this.#own.set(
        actor,
        new LoadShedder(
          {
            maxInFlight: limits.maxInFlight ?? config.maxInFlight,
            maxQueued: limits.maxQueued ?? config.maxQueued,
            maxQueueMs: limits.maxQueueMs ?? config.maxQueueMs,
          },
          clock,
          adaptation,
        ),
      )
    }
  }

  /** The shedder requests to `actor` go through. */
  shedderOf(actor: string): LoadShedder {
    return this.#own.get(actor) ?? this.shared
  }

  /**
   * For `POST /v1/actors/<actor>/<message>` whose shedder refuses at once
   * (load-shedder.ts `refuseEarly`): the actor and its 503, read from the URL
   * with string operations before the framework runs; else undefined.
   */
  refuseEarly(request: Request): { actor: string; response: Response } | undefined {
    if (request.method !== 'POST') return undefined
    const url = request.url
    const path = url.indexOf('/', url.indexOf('//') + 2)
    if (path < 0 || !url.startsWith(ACTORS_PREFIX, path)) return undefined
    const from = path + ACTORS_PREFIX.length
    const slash = url.indexOf('/', from)
    if (slash <= from) return undefined
    const actor = url.slice(from, slash)
    const response = this.shedderOf(actor).refuseEarly()
    return response ? { actor, response } : undefined
  }

  /** Hono middleware for routes with an `:actor` parameter. */
  readonly middleware: MiddlewareHandler = (c, next) =>
    this.shedderOf(c.req.param('actor') ?? '').middleware(c, next)
}
