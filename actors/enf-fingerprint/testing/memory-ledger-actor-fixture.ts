/**
 * Test fixture: a ledger actor over the in-memory ledger (`ledger.commit`,
 * `ledger.get`), so the ENF actor's worker tests need no CometBFT network.
 * It checks no namespaces: tests plant records other hosts could not write.
 */
import { z } from 'zod'
import type { LedgerRecord } from '../../../ledger/index.ts'
import { defineActor } from '../../../runtime/index.ts'
import { createMemoryLedger, type MemoryLedger } from './memory-ledger.ts'

// Only ledger/protocol.ts is the actors' view of the ledger (tests/architecture.test.ts): a loose
// record shape here, checked by the memory ledger's types.
const record = z.object({
  kind: z.enum(['enf_fingerprint', 'feature_hash', 'host_enrollment', 'batch_root']),
  key: z.string().min(1),
  dataHex: z.string(),
}) satisfies z.ZodType<LedgerRecord>

const protocol = {
  'ledger.commit': {
    payload: record,
    reply: z.unknown(),
    access: { resource: '/ledger/records', action: 'write' },
  },
  'ledger.get': {
    payload: z.object({ key: z.string() }),
    reply: z.unknown(),
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
