/**
 * The gateway's admission control settings (the `gateway.admission` section
 * of a host config): how many actor requests it serves at once, how many may
 * wait for a slot and for how long before it sheds them with 503
 * GATEWAY_OVERLOADED. `admissionConfigSchema.parse({})` is a working config.
 */
import { z } from 'zod'

export const admissionConfigSchema = z.object({
  maxInFlight: z
    .number()
    .int()
    .positive()
    .default(256)
    .describe(
      'actor requests served at once (sent to an actor, reply not yet answered); default 256',
    ),
  maxQueued: z
    .number()
    .int()
    .min(0)
    .default(256)
    .describe(
      'requests waiting for a slot when all are taken; more are shed at once with 503; default 256',
    ),
  maxQueueMs: z
    .number()
    .int()
    .positive()
    .default(20)
    .describe(
      'longest a request waits for a slot before it is shed with 503, milliseconds; default 20',
    ),
})

export type AdmissionConfig = z.output<typeof admissionConfigSchema>
export type AdmissionConfigInput = z.input<typeof admissionConfigSchema>
