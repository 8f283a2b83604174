import { describe } from 'bun:test'
import { cometbftLedgerProtocol, runLedgerConformance } from '../../ledger/index.ts'
import type { ActorContext } from '../../runtime/index.ts'
import { createLedgerOverActor } from './ledger-over-actor.ts'
import { createMemoryLedger } from './testing/index.ts'

/**
 * A context whose asks to 'ledger' are checked against the ledger actor's own protocol
 * (payload and reply schemas, as the kernel checks them) and answered by an in-memory ledger.
 */
function ledgerActorContext(): ActorContext {
  const ledger = createMemoryLedger()
  const ask = async (actor: string, type: string, payload: unknown) => {
    if (actor !== 'ledger') throw new Error(`unexpected actor ${actor}`)
    if (type === 'ledger.commit') {
      const spec = cometbftLedgerProtocol['ledger.commit']
      return spec.reply.parse(await ledger.commit(spec.payload.parse(payload)))
    }
    if (type === 'ledger.get') {
      const spec = cometbftLedgerProtocol['ledger.get']
      return spec.reply.parse(await ledger.get(spec.payload.parse(payload).key))
    }
    throw new Error(`unexpected message ${type}`)
  }
  return { ask } as unknown as ActorContext
}

describe('createLedgerOverActor', () => {
  runLedgerConformance({
    name: 'createLedgerOverActor',
    create: () => createLedgerOverActor(ledgerActorContext(), 'ledger'),
  })
})
