/**
 * Test fixture: a counter actor (version 1) used by the kernel's tests. It
 * counts, records per-sender sequence numbers (to check ordering), crashes
 * on request (a thrown TypeError), answers typed errors, and dies hard.
 */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'
import { BaseError } from '../errors/base-error.ts'

export type CounterState = {
  count: number
  lastSeq: Record<string, number>
  outOfOrder: number
  records: number
}

export const counterProtocol = {
  'counter.add': {
    access: 'public',
    payload: z.object({ by: z.number().int() }),
    reply: z.object({ count: z.number() }),
  },
  'counter.get': {
    access: 'public',
    payload: z.object({}),
    reply: z.object({ count: z.number() }),
    idempotent: true,
  },
  'counter.record': {
    access: 'public',
    payload: z.object({ sender: z.string(), seq: z.number().int() }),
    reply: z.null(),
  },
  'counter.report': {
    access: 'public',
    payload: z.object({}),
    reply: z.object({ records: z.number(), outOfOrder: z.number(), version: z.number() }),
  },
  'counter.crash': { access: 'public', payload: z.object({}), reply: z.null() },
  'counter.refuse': {
    access: 'public',
    payload: z.object({}),
    reply: z.null(),
    errors: ['COUNTER_REFUSED'],
  },
  'counter.exit': { access: 'public', payload: z.object({}), reply: z.null() },
  'counter.echo': {
    access: 'public',
    payload: z.object({ value: z.unknown() }),
    reply: z.unknown(),
  },
  'counter.wait': {
    access: 'public',
    payload: z.object({ ms: z.number() }),
    reply: z.object({ count: z.number() }),
  },
  'counter.fault': { access: 'public', payload: z.object({}), reply: z.null() },
  'counter.flaky': {
    access: 'public',
    payload: z.object({}),
    reply: z.object({ count: z.number() }),
    idempotent: true,
  },
} as const

/** Per worker: the first `counter.flaky` in a worker crashes, later ones succeed. */
let flakyCalls = 0

export function recordSeq(state: CounterState, sender: string, seq: number): null {
  const last = state.lastSeq[sender] ?? -1
  if (seq !== last + 1) state.outOfOrder++
  state.lastSeq[sender] = seq
  state.records++
  return null
}

export const counterActor = defineActor({
  name: 'counter',
  version: 1,
  protocol: counterProtocol,
  init: (args: { start?: number } | undefined) => ({
    count: args?.start ?? 0,
    lastSeq: {},
    outOfOrder: 0,
    records: 0,
  }),
  receive: {
    'counter.add': (payload, state: CounterState) => {
      state.count += payload.by
      return { count: state.count }
    },
    'counter.get': (_payload, state) => ({ count: state.count }),
    'counter.record': (payload, state) => recordSeq(state, payload.sender, payload.seq),
    'counter.report': (_payload, state) => ({
      records: state.records,
      outOfOrder: state.outOfOrder,
      version: 1,
    }),
    'counter.crash': () => {
      throw new TypeError('counter was told to crash')
    },
    'counter.refuse': () => {
      throw new BaseError('COUNTER_REFUSED', 'counter refuses politely', { kind: 'application' })
    },
    'counter.exit': () => {
      process.exit(7)
    },
    'counter.echo': (payload) => payload.value,
    'counter.fault': () => {
      // An error outside any handler (a timer): the worker reports it as fatal.
      setTimeout(() => {
        throw new Error('fault in a timer')
      }, 0)
      return null
    },
    'counter.flaky': (_payload, state) => {
      flakyCalls++
      if (flakyCalls === 1) throw new TypeError('flaky handler fails the first time')
      return { count: state.count }
    },
    'counter.wait': async (payload, state) => {
      await Bun.sleep(payload.ms)
      return { count: state.count }
    },
  },
  snapshot: (state) => state,
  migrate: (_fromVersion, snapshot) => snapshot as CounterState,
  terminate: (state, context) => {
    context.log('counter.terminated', { count: state.count })
  },
})
