/**
 * Test fixture: an actor that sends from its own worker, for tests of what
 * actors send each other (direct links included): a script of asks with a
 * window of them outstanding, answering each ask's outcome in order, and a
 * burst of tells.
 */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'
import { isWireError } from '../errors/base-error.ts'

const step = z.object({ type: z.string(), payload: z.unknown() })

/** The code of a failed ask, or 'ok'. */
function outcomeOf(error: unknown): string {
  if (isWireError(error)) return error.code
  return (error as { code?: string })?.code ?? 'UNKNOWN'
}

export const floodActor = defineActor({
  name: 'flood',
  version: 1,
  stateless: true,
  protocol: {
    'flood.asks': {
      access: 'public',
      payload: z.object({
        to: z.string(),
        steps: z.array(step),
        window: z.number().int().positive(),
        onBehalf: z.boolean().default(false),
      }),
      reply: z.object({ outcomes: z.array(z.string()), last: z.unknown() }),
      description: 'Asks `to` each step in order, `window` outstanding; answers each outcome.',
    },
    'flood.tells': {
      access: 'public',
      payload: z.object({ to: z.string(), steps: z.array(step) }),
      reply: z.null(),
      description: 'Tells `to` each step in order, at once.',
    },
  },
  init: () => ({}),
  receive: {
    'flood.asks': async ({ to, steps, window, onBehalf }, _state, context) => {
      const outcomes: string[] = new Array(steps.length)
      let last: unknown = null
      let next = 0
      const options = onBehalf ? { caller: context.caller } : {}
      const worker = async () => {
        while (next < steps.length) {
          const index = next++
          const { type, payload } = steps[index] as z.infer<typeof step>
          try {
            last = await context.ask(to, type, payload, options)
            outcomes[index] = 'ok'
          } catch (error) {
            outcomes[index] = outcomeOf(error)
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(window, steps.length) }, worker))
      return { outcomes, last }
    },
    'flood.tells': ({ to, steps }, _state, context) => {
      for (const { type, payload } of steps) context.tell(to, type, payload)
      return null
    },
  },
})
