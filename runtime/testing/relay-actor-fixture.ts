/** Test fixture: an actor that forwards additions to another actor through its context. */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'

export const relayActor = defineActor({
  name: 'relay',
  version: 1,
  protocol: {
    'relay.add': {
      access: 'public',
      payload: z.object({ to: z.string(), by: z.number().int() }),
      reply: z.object({ count: z.number() }),
    },
  },
  init: () => ({}),
  receive: {
    'relay.add': (payload, _state, context) =>
      context.ask<{ count: number }>(payload.to, 'counter.add', { by: payload.by }),
  },
})
