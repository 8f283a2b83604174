/**
 * The intra-domain ledger as the integrity service needs it, and its
 * implementation by messages to the ledger actor (`ledger.commit_compact`,
 * `ledger.get`, `ledger.verify`; docs/ledger.md). The ledger actor checks
 * that every key lies in the sending host's namespace.
 */
import type { CompactReceipts, Receipt } from '../../ledger/index.ts'
import type { ActorContext } from '../../runtime/index.ts'

/** A feature-hash record as committed. */
export type HashRecord = {
  readonly kind: 'feature_hash'
  readonly key: string
  readonly dataHex: string
}

export type IntegrityLedger = {
  /** Commits the records (Merkle-batched); their receipts, compact, once committed. */
  commitBatch(records: readonly HashRecord[]): Promise<CompactReceipts>
  /** The committed record under `key` with its receipt, or null. */
  get(key: string): Promise<Receipt | null>
  /** Checks a receipt offline and against the chain (batch row, tx proof in its block). */
  verify(receipt: Receipt): Promise<Verification>
  /** {@link verify} of several receipts in one round trip (the ledger checks them concurrently). */
  verifyMany(receipts: readonly Receipt[]): Promise<Verification[]>
}

export type Verification = { valid: boolean; reason?: string | undefined }

/** Most receipts per `ledger.verify_many`. */
const VERIFY_MANY_LIMIT = 1_000

/** A commit waits for a block: longer than the kernel's default ask timeout. */
const COMMIT_TIMEOUT_MS = 60_000
const READ_TIMEOUT_MS = 15_000

/** An IntegrityLedger backed by asks to the actor named `ledgerActor`. */
export function createIntegrityLedgerOverActor(
  context: ActorContext,
  ledgerActor: string,
): IntegrityLedger {
  return {
    commitBatch: (records) =>
      context.ask<CompactReceipts>(
        ledgerActor,
        'ledger.commit_compact',
        { records },
        { timeoutMs: COMMIT_TIMEOUT_MS },
      ),
    get: (key) =>
      context.ask<Receipt | null>(
        ledgerActor,
        'ledger.get',
        { key },
        { timeoutMs: READ_TIMEOUT_MS },
      ),
    verify: (receipt) =>
      context.ask(ledgerActor, 'ledger.verify', receipt, { timeoutMs: READ_TIMEOUT_MS }),
    verifyMany: async (receipts) => {
      const results: Verification[] = []
      for (let first = 0; first < receipts.length; first += VERIFY_MANY_LIMIT) {
        const reply = await context.ask<{ results: Verification[] }>(
          ledgerActor,
          'ledger.verify_many',
          { receipts: receipts.slice(first, first + VERIFY_MANY_LIMIT) },
          { timeoutMs: READ_TIMEOUT_MS },
        )
        results.push(...reply.results)
      }
      return results
    },
  }
}
