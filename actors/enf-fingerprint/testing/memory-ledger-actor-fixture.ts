/**
 * Test fixture: a ledger actor over the in-memory ledger (`ledger.commit`,
 * `ledger.get`), so the ENF actor's worker tests need no CometBFT network.
 * It checks no namespaces: tests plant records other hosts could not write.
 */
import { z } from 'zod'
import { ledgerRecordSchema, receiptSchema } from '../../../ledger/ledger-schemas.ts'
import { defineActor } from '../../../runtime/actor/define-actor.ts'
import { createMemoryLedger, type MemoryLedger } from './memory-ledger.ts'

const protocol = {
  'ledger.commit': {
    payload: ledgerRecordSchema,
    reply: receiptSchema,
    access: { resource: '/ledger/records', action: 'write' },
  },
  'ledger.get': {
    payload: z.object({ key: z.string() }),
    reply: receiptSchema.nullable(),
    access: { resource: '/ledger/records', action: 'read' },
  },
} as const

/** The in-memory ledger actor. */
export const memoryLedgerActorFixture = defineActor<MemoryLedger, typeof protocol, void>({
  name: 'memory-ledger-fixture',
  version: 1,
  protocol,
  init: () => createMemoryLedger(),
  receive: {
    'ledger.commit': (record, ledger) => ledger.commit(record),
    'ledger.get': ({ key }, ledger) => ledger.get(key),
  },
})
