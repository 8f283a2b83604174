/**
 * An actor for caller tests: answers the caller of the message it handles,
 * and relays to another actor either on its host's behalf (the default) or
 * on behalf of its own caller (`{ caller: context.caller }`).
 */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'

const callerShape = z
  .object({
    id: z.string(),
    credential: z.string().optional(),
    claims: z.record(z.string(), z.string()).optional(),
  })
  .nullable()

export const whoamiActor = defineActor({
  name: 'whoami',
  version: 1,
  stateless: true,
  protocol: {
    'whoami.ask': {
      access: { resource: '/whoami', action: 'read' },
      payload: z.object({}),
      reply: z.object({ caller: callerShape }),
      description: 'Answers the caller of this message.',
    },
    'whoami.relay': {
      access: { resource: '/whoami', action: 'read' },
      payload: z.object({ to: z.string(), onBehalf: z.boolean() }),
      reply: z.object({ caller: callerShape }),
      description: "Asks `to` with whoami.ask, on its caller's behalf or its own host's.",
    },
    'whoami.record': {
      access: { resource: '/whoami', action: 'write' },
      payload: z.object({}),
      reply: z.null(),
      description: 'Remembers the caller (send it as a tell).',
    },
    'whoami.recorded': {
      access: 'public',
      payload: z.object({}),
      reply: z.object({ callers: z.array(callerShape) }),
      description: 'The callers remembered by whoami.record.',
    },
    'whoami.open': {
      access: 'public',
      payload: z.object({}),
      reply: z.object({ caller: callerShape }),
      description: 'A public message: answers the caller, if any.',
    },
  },
  init: () => ({ recorded: [] as (z.infer<typeof callerShape> | null)[] }),
  receive: {
    'whoami.ask': (_payload, _state, context) => ({ caller: context.caller ?? null }),
    'whoami.open': (_payload, _state, context) => ({ caller: context.caller ?? null }),
    'whoami.relay': (payload, _state, context) =>
      context.ask<{ caller: unknown }>(
        payload.to,
        'whoami.ask',
        {},
        payload.onBehalf ? { caller: context.caller } : {},
      ) as never,
    'whoami.record': (_payload, state, context) => {
      state.recorded.push(context.caller ?? null)
      return null
    },
    'whoami.recorded': (_payload, state) => ({ callers: state.recorded }),
  },
})
