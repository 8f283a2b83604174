/**
 * A stand-in for the integrity service in tests: `integrity.record` keeps
 * what it is sent (no receipts), `integrity.list` returns it by kind.
 */
import { z } from 'zod'
import { defineActor } from '../../../runtime/index.ts'

const protocol = {
  'integrity.record': {
    access: { resource: '/integrity/records', action: 'write' },
    payload: z.object({ kind: z.string(), key: z.string(), data: z.unknown() }),
    reply: z.object({ receipt: z.string() }),
  },
  'integrity.list': {
    access: { resource: '/integrity/records', action: 'read' },
    payload: z.object({ kind: z.string() }),
    reply: z.object({ keys: z.array(z.string()), data: z.array(z.unknown()) }),
  },
} as const

type State = { records: { kind: string; key: string; data: unknown }[] }

/** `integrity` (fake): in-memory records. */
export const fakeIntegrityActor = defineActor<State, typeof protocol, Record<string, never>>({
  name: 'integrity',
  version: 1,
  protocol,
  init: () => ({ records: [] }),
  receive: {
    'integrity.record': (p, state) => {
      state.records.push({ kind: p.kind, key: p.key, data: p.data })
      return { receipt: `fake:${state.records.length}` }
    },
    'integrity.list': (p, state) => {
      const hits = state.records.filter((r) => r.kind === p.kind)
      return { keys: hits.map((r) => r.key), data: hits.map((r) => r.data) }
    },
  },
})
