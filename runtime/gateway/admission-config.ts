/**
 * The gateway's admission control settings (the `gateway.admission` section
 * of a host config): how many actor requests it serves at once, how many may
 * wait for a slot and for how long before it sheds them with 503
 * GATEWAY_OVERLOADED; and, per actor, limits of its own (a bulkhead: that
 * actor's requests get their own slots and queue, apart from the shared
 * ones); and how the in-flight limits adapt while the event loop is
 * saturated (adaptive-limit.ts). `admissionConfigSchema.parse({})` is a
 * working config.
 */
import { z } from 'zod'

const maxInFlight = z.number().int().positive()
const maxQueued = z.number().int().min(0)
const maxQueueMs = z.number().int().positive()

/** One set of limits, every field given. */
export type AdmissionLimits = { maxInFlight: number; maxQueued: number; maxQueueMs: number }

export const admissionConfigSchema = z.object({
  maxInFlight: maxInFlight
    .default(256)
    .describe(
      'actor requests served at once (sent to an actor, reply not yet answered); default 256',
    ),
  maxQueued: maxQueued
    .default(256)
    .describe(
      'requests waiting for a slot when all are taken; more are shed at once with 503; default 256',
    ),
  maxQueueMs: maxQueueMs
    .default(20)
    .describe(
      'longest a request waits for a slot before it is shed with 503, milliseconds; default 20',
    ),
  targetLagMs: z
    .number()
    .min(0)
    .default(10)
    .describe(
      'event-loop delay the gateway tolerates, milliseconds: when the smallest delay over lagIntervalMs stays above it, the loop is saturated, so every in-flight limit is halved (down to minInFlight) and nothing queues until it recovers; 0 keeps the limits fixed; default 10',
    ),
  lagIntervalMs: z
    .number()
    .int()
    .positive()
    .default(100)
    .describe(
      'how long the loop must stay late before a limit is cut (and on time before it grows back by half), milliseconds; default 100',
    ),
  turnBudgetMs: z
    .number()
    .min(0)
    .default(0)
    .describe(
      "while the loop is saturated (its last two passes each took longer than targetLagMs), the longest an accepted request may wait, once read, for the rest of the loop's pass before its reply can be handled, milliseconds: a request read earlier in a pass (and followed in it by at least minInFlight others) is refused with 503 before the framework runs, so the requests accepted are those answered soonest; 0 (or targetLagMs 0) turns this off; default 0 (off: in quiet runs it did not lower the overload p99 and halved the security bench's saturated throughput)",
    ),
  minInFlight: maxInFlight
    .default(64)
    .describe(
      'lowest in-flight limit a saturated loop cuts to (an actor with a smaller maxInFlight keeps its own), so up to this many concurrent requests are never refused for lag alone; default 64',
    ),
  actors: z
    .record(
      z.string(),
      z.object({
        maxInFlight: maxInFlight.optional(),
        maxQueued: maxQueued.optional(),
        maxQueueMs: maxQueueMs.optional(),
      }),
    )
    .default({})
    .describe(
      "actors with slots and a queue of their own, by name, each limit defaulting to the shared one's: for an actor whose messages cost real time, maxInFlight ≈ the latency budget / the cost of one message (e.g. 16 for ~1 ms of CPU each, where 256 in flight would queue for ~256 ms); default none",
    ),
})

export type AdmissionConfig = z.output<typeof admissionConfigSchema>
export type AdmissionConfigInput = z.input<typeof admissionConfigSchema>
