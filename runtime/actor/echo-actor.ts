/**
 * The smallest deployable actor: replies with the text it got, the host that
 * served it and its code version, so one sees where a request went. The demo
 * domain deploys it (scripts/echo-actor.ts, a replica on every host) and the
 * host tests and benchmarks place it (runtime/host/fixtures/). Stateless, so
 * the placement may run several replicas.
 */
import { z } from 'zod'
import { defineActor } from './define-actor.ts'

export const echoActor = defineActor({
  name: 'echo',
  version: 1,
  stateless: true,
  protocol: {
    'echo.say': {
      access: { resource: '/echo', action: 'read' },
      payload: z.object({ text: z.string().max(10_000), seq: z.number().int().optional() }),
      reply: z.object({
        text: z.string(),
        seq: z.number().int().optional(),
        host: z.string(),
        version: z.number(),
      }),
      idempotent: true,
      description: 'Replies with the same text, the host that served it and the code version.',
    },
  },
  init: () => ({ host: process.env.VIGIL_HOST_ID ?? 'unknown' }),
  receive: {
    'echo.say': (payload, state) => ({ ...payload, host: state.host, version: 1 }),
  },
})
