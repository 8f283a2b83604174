/**
 * An actor that answers when its module was evaluated in its worker (an
 * absolute time in ms, comparable across threads), for tests of module
 * pre-loading in spare workers.
 */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'

const evaluatedAt = performance.timeOrigin + performance.now()

export const moduleClockActor = defineActor({
  name: 'module-clock',
  version: 1,
  stateless: true,
  protocol: {
    'module_clock.evaluated_at': {
      access: 'public',
      payload: z.object({}),
      reply: z.object({ evaluatedAt: z.number() }),
      description: 'When this worker evaluated the actor module (ms since the epoch).',
    },
  },
  init: () => ({}),
  receive: {
    'module_clock.evaluated_at': () => ({ evaluatedAt }),
  },
})
