/**
 * Test fixture: the counter actor (version 1) the kernel's, hosts' and
 * domain tests share. It counts (`add` is not idempotent, a retry would count
 * twice; `get` is), records per-sender sequence numbers (to check ordering),
 * crashes on request (a thrown TypeError), answers typed errors, and dies
 * hard. In a domain started by start-domain, `add` and `get` also name the
 * host that served them (`VIGIL_HOST_ID`), so tests see where a request ran.
 * Versions 2 and 3 (a migrate that refuses) are the `-v2` and `-broken`
 * fixtures beside it.
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

const countReply = z.object({
  count: z.number(),
  /** The host that served the request, when the process runs in a started domain. */
  host: z.string().optional(),
})

const write = { resource: '/counter', action: 'write' } as const
const read = { resource: '/counter', action: 'read' } as const
const admin = { resource: '/counter', action: 'admin' } as const

export const counterProtocol = {
  'counter.add': {
    access: write,
    payload: z.object({ by: z.number().int() }),
    reply: countReply,
    description: 'Adds to the counter; not idempotent.',
  },
  'counter.get': {
    access: read,
    payload: z.object({}),
    reply: countReply,
    idempotent: true,
    description: 'Reads the counter.',
  },
  'counter.record': {
    access: write,
    payload: z.object({ sender: z.string(), seq: z.number().int() }),
    reply: z.null(),
  },
  'counter.report': {
    access: read,
    payload: z.object({}),
    reply: z.object({ records: z.number(), outOfOrder: z.number(), version: z.number() }),
  },
  'counter.crash': { access: admin, payload: z.object({}), reply: z.null() },
  'counter.refuse': {
    access: write,
    payload: z.object({}),
    reply: z.null(),
    errors: ['COUNTER_REFUSED'],
  },
  'counter.exit': { access: admin, payload: z.object({}), reply: z.null() },
  'counter.echo': {
    access: read,
    payload: z.object({ value: z.unknown() }),
    reply: z.unknown(),
  },
  'counter.wait': {
    access: read,
    payload: z.object({ ms: z.number() }),
    reply: z.object({ count: z.number() }),
  },
  'counter.fault': { access: admin, payload: z.object({}), reply: z.null() },
  'counter.flaky': {
    access: read,
    payload: z.object({}),
    reply: z.object({ count: z.number() }),
    idempotent: true,
  },
} as const

/** Per worker: the first `counter.flaky` in a worker crashes, later ones succeed. */
let flakyCalls = 0

const servedBy = process.env.VIGIL_HOST_ID

function countOf(state: CounterState): z.infer<typeof countReply> {
  return servedBy === undefined ? { count: state.count } : { count: state.count, host: servedBy }
}

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
      return countOf(state)
    },
    'counter.get': (_payload, state) => countOf(state),
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
