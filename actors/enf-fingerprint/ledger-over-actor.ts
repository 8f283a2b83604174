/**
 * The intra-domain ledger as this actor sees it from inside its worker: an
 * {@link IntraDomainLedger} whose calls are messages to the ledger actor
 * (`ledger.commit <record>` → Receipt, `ledger.get {key}` → Receipt | null).
 */

import type { IntraDomainLedger, LedgerRecord, Receipt } from '../../ledger/index.ts'
import type { ActorContext } from '../../runtime/index.ts'
import { askDependency } from './ask-dependency.ts'

/** A commit waits for a block (and maybe a batch): longer than the kernel's default ask timeout. */
const COMMIT_TIMEOUT_MS = 30_000
const GET_TIMEOUT_MS = 10_000

/** An IntraDomainLedger backed by asks to the actor named `ledgerActor`. */
export function createLedgerOverActor(
  context: ActorContext,
  ledgerActor: string,
): IntraDomainLedger {
  return {
    commit: (record: LedgerRecord) =>
      askDependency<Receipt>(context, ledgerActor, 'ledger.commit', record, COMMIT_TIMEOUT_MS),
    get: (key: string) =>
      askDependency<Receipt | null>(context, ledgerActor, 'ledger.get', { key }, GET_TIMEOUT_MS),
  }
}
