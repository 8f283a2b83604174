/**
 * Test and fault-run fixture: a ledger actor that records which request ids
 * it applied, in a bitmap (one bit per id, so a 30 s run at 5,000 req/s
 * snapshots 19 KB), and counts ids applied twice. A fault run checks at the
 * end that every acknowledged id's bit is set and that nothing ran twice.
 * Its snapshot is the state, so restarts and hand-offs resume from it.
 */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'
import { BaseError } from '../errors/base-error.ts'

export type LedgerState = { bits: Uint8Array; applied: number; duplicates: number }

export const ledgerProtocol = {
  'ledger.apply': {
    access: 'public',
    payload: z.object({ id: z.number().int().nonnegative() }),
    reply: z.object({ id: z.number() }),
    description: 'Records that request `id` was applied and answers its id.',
  },
  'ledger.read': {
    access: 'public',
    payload: z.object({}),
    reply: z.object({ applied: z.number(), duplicates: z.number(), bits: z.string() }),
    idempotent: true,
    description: 'The applied ids as a base64 bitmap, with the counts.',
  },
} as const

export const ledgerActor = defineActor<LedgerState, typeof ledgerProtocol, { capacity: number }>({
  name: 'fault-ledger',
  version: 1,
  protocol: ledgerProtocol,
  init: (args) => ({
    bits: new Uint8Array(Math.ceil(args.capacity / 8)),
    applied: 0,
    duplicates: 0,
  }),
  receive: {
    'ledger.apply': ({ id }, state) => {
      const byte = id >> 3
      if (byte >= state.bits.length) {
        throw new BaseError('LEDGER_ID_OUT_OF_RANGE', `id ${id} is beyond the ledger's capacity`, {
          kind: 'application',
        })
      }
      const mask = 1 << (id & 7)
      if ((state.bits[byte] as number) & mask) state.duplicates++
      else {
        state.bits[byte] = (state.bits[byte] as number) | mask
        state.applied++
      }
      return { id }
    },
    'ledger.read': (_payload, state) => ({
      applied: state.applied,
      duplicates: state.duplicates,
      bits: Buffer.from(state.bits).toString('base64'),
    }),
  },
  snapshot: (state) => state,
  migrate: (_fromVersion, snapshot) => {
    const saved = snapshot as LedgerState
    return {
      bits: new Uint8Array(saved.bits),
      applied: saved.applied,
      duplicates: saved.duplicates,
    }
  },
})

/** Whether bit `id` is set in a base64 bitmap from `ledger.read`. */
export function bitmapHas(bits: Uint8Array, id: number): boolean {
  return (((bits[id >> 3] as number) >> (id & 7)) & 1) === 1
}
