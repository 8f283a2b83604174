/**
 * The intra-domain ledger as this actor sees it from inside its worker: an
 * {@link IntraDomainLedger} whose calls are messages to the ledger actor
 * (`ledger.commit {record}` → Receipt, `ledger.get {key}` → Receipt | null).
 */

import type { IntraDomainLedger, LedgerRecord, Receipt } from '../../ledger/protocol.ts'
import type { ActorContext } from '../../runtime/actor/define-actor.ts'

/** An IntraDomainLedger backed by asks to the actor named `ledgerActor`. */
export function createLedgerOverActor(
  context: ActorContext,
  ledgerActor: string,
): IntraDomainLedger {
  return {
    commit: (record: LedgerRecord) =>
      context.ask<Receipt>(ledgerActor, 'ledger.commit', { record }),
    get: (key: string) => context.ask<Receipt | null>(ledgerActor, 'ledger.get', { key }),
  }
}
