/**
 * Example actors for the kernel demo (`vigil demo`, scripts/kernel-demo.ts):
 * a visitor counter in two versions (hot swap) and a greeter that asks the
 * counter (actor-to-actor request/reply). Application code a reader copies,
 * not a test fixture: the tests' counter is runtime/testing's.
 */
import { z } from 'zod'
import { defineActor } from '../runtime/index.ts'

type CounterState = { visits: number }

const counterProtocol = {
  'counter.visit': {
    access: { resource: '/demo', action: 'write' },
    payload: z.object({ name: z.string().min(1) }),
    reply: z.object({ visits: z.number(), version: z.number() }),
    description: 'counts one visit',
  },
  'counter.crash': {
    access: { resource: '/demo', action: 'admin' },
    payload: z.object({}),
    reply: z.null(),
    description: 'throws, to show a supervised restart',
  },
} as const

export const demoCounterActor = defineActor({
  name: 'demo-counter',
  version: 1,
  protocol: counterProtocol,
  init: (): CounterState => ({ visits: 0 }),
  receive: {
    'counter.visit': (_payload, state: CounterState) => {
      state.visits++
      return { visits: state.visits, version: 1 }
    },
    'counter.crash': (): null => {
      throw new Error('demo crash requested')
    },
  },
  snapshot: (state) => state,
  migrate: (_fromVersion, snapshot) => snapshot as CounterState,
})

/** Version 2 keeps the count (migrated from version 1) and reports its version. */
export const demoCounterActorV2 = defineActor({
  ...demoCounterActor,
  version: 2,
  receive: {
    ...demoCounterActor.receive,
    'counter.visit': (_payload, state: CounterState) => {
      state.visits++
      return { visits: state.visits, version: 2 }
    },
  },
  migrate: (fromVersion, snapshot) => {
    if (fromVersion > 2) throw new RangeError(`cannot migrate down from version ${fromVersion}`)
    return snapshot as CounterState
  },
})

export const demoGreeterActor = defineActor({
  name: 'demo-greeter',
  version: 1,
  protocol: {
    'greeter.greet': {
      access: 'public',
      payload: z.object({ name: z.string().min(1) }),
      reply: z.object({ greeting: z.string() }),
      description: 'greets a visitor, asking the counter for the visit number',
    },
  },
  init: (args: { counter: string }) => ({ counter: args.counter }),
  receive: {
    'greeter.greet': async (payload, state, context) => {
      const { visits, version } = await context.ask<{ visits: number; version: number }>(
        state.counter,
        'counter.visit',
        { name: payload.name },
      )
      return { greeting: `hello ${payload.name}, visitor #${visits} (counter v${version})` }
    },
  },
})
