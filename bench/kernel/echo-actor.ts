/**
 * Benchmark actor: answers pings, counts them, and crashes or exits on
 * request. Two versions (for hot-swap measurements) share one module.
 */
import { z } from 'zod'
import { defineActor } from '../../runtime/actor/define-actor.ts'

type EchoState = { count: number }

const protocol = {
  'echo.ping': {
    access: 'public',
    payload: z.object({ seq: z.number() }),
    reply: z.object({ seq: z.number() }),
  },
  'echo.count': { access: 'public', payload: z.object({}), reply: z.object({ count: z.number() }) },
  'echo.crash': { access: 'public', payload: z.object({}), reply: z.null() },
  'echo.exit': { access: 'public', payload: z.object({}), reply: z.null() },
} as const

const receive = {
  'echo.ping': (payload: { seq: number }, state: EchoState) => {
    state.count++
    return payload
  },
  'echo.count': (_payload: unknown, state: EchoState) => ({ count: state.count }),
  'echo.crash': (): null => {
    throw new TypeError('echo was told to crash')
  },
  'echo.exit': (): null => process.exit(3),
}

export const echoActor = defineActor({
  name: 'echo',
  version: 1,
  protocol,
  init: (): EchoState => ({ count: 0 }),
  receive,
  snapshot: (state) => state,
  migrate: (_fromVersion, snapshot) => snapshot as EchoState,
})

export const echoActorV2 = defineActor({ ...echoActor, version: 2 })
