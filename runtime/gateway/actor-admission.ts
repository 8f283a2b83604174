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
 *
 * The served fetch also asks it about every request before the framework
 * runs ({@link ActorAdmission.refuseEarly}), which counts the loop's passes
 * (loop-turns.ts): while the loop is saturated, an actor request read so
 * early in a pass that the rest of the pass is expected to take longer than
 * `turnBudgetMs` is refused, because its reply could not be handled before
 * the pass is over; the ones read near the end are accepted, and so are the
 * last `minInFlight` of a pass whatever they cost (a client with that many
 * requests at once is never refused for the loop alone). That keeps the
 * accepted requests' latency near one pass, not two, and fewer accepted
 * requests make each pass shorter.
 */
import type { MiddlewareHandler } from 'hono'
import { type Clock, systemClock } from '../clock/clock.ts'
import type { AdmissionConfig } from './admission-config.ts'
import { LoadShedder } from './load-shedder.ts'
import { LoopLagMonitor } from './loop-lag-monitor.ts'
import { LoopTurns } from './loop-turns.ts'

const ACTORS_PREFIX = '/v1/actors/'

/** How often the loop's lag is sampled, ms (a few samples per interval). */
const LAG_SAMPLE_MS = 10

export class ActorAdmission {
  /** The shedder of every actor without limits of its own. */
  readonly shared: LoadShedder
  readonly #own = new Map<string, LoadShedder>()
  /** Counts the loop's passes; only while the pass rule is on (`turnBudgetMs` > 0). */
  readonly #turns: LoopTurns | undefined
  readonly #turnBudgetMs: number
  readonly #minInFlight: number

  constructor(config: AdmissionConfig, clock: Clock = systemClock, turns?: LoopTurns) {
    this.#turnBudgetMs = config.targetLagMs > 0 ? config.turnBudgetMs : 0
    this.#turns =
      this.#turnBudgetMs > 0
        ? (turns ?? new LoopTurns({ targetMs: config.targetLagMs }))
        : undefined
    this.#minInFlight = config.minInFlight
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
   * Called by the served fetch for every request, before the framework runs.
   * For `POST /v1/actors/<actor>/<message>` whose shedder refuses at once
   * (load-shedder.ts `refuseEarly`), or that came too early in a saturated
   * loop pass (above): the actor and its 503, read from the URL with string
   * operations; else undefined.
   */
  refuseEarly(request: Request): { actor: string; response: Response } | undefined {
    const turns = this.#turns
    const index = turns ? turns.arrive() : 0
    if (request.method !== 'POST') return undefined
    const url = request.url
    const path = url.indexOf('/', url.indexOf('//') + 2)
    if (path < 0 || !url.startsWith(ACTORS_PREFIX, path)) return undefined
    const from = path + ACTORS_PREFIX.length
    const slash = url.indexOf('/', from)
    if (slash <= from) return undefined
    const actor = url.slice(from, slash)
    const shedder = this.shedderOf(actor)
    const saturated = turns?.saturated === true
    const early =
      saturated &&
      turns.remainingRequests(index) >= this.#minInFlight &&
      turns.remainingMs(index) > this.#turnBudgetMs
    const response = early ? shedder.refuse() : shedder.refuseEarly(saturated)
    return response ? { actor, response } : undefined
  }

  /** Hono middleware for routes with an `:actor` parameter. */
  readonly middleware: MiddlewareHandler = (c, next) =>
    this.shedderOf(c.req.param('actor') ?? '').middleware(c, next)
}
