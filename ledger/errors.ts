/**
 * Errors of vigil's intra-domain ledger (codes LEDGER_*). Each says what to
 * fix; all are serializable vigil errors (see docs/errors.md).
 */
import { type BaseErrorOptions, defineError } from '../runtime/index.ts'

/** The ledger refused a transaction; `meta.code` is the CheckTx/FinalizeBlock code (ledger/abci/tx-codes.ts). */
export class LedgerTxRejectedError extends defineError('LEDGER_TX_REJECTED') {
  readonly txCode: number
  constructor(shortMessage: string, txCode: number, options: BaseErrorOptions = {}) {
    super(shortMessage, {
      kind: 'application',
      ...options,
      meta: { ...options.meta, code: txCode },
    })
    this.txCode = txCode
  }
}

/** A transaction was accepted into the mempool but not seen in a block in time. */
export class LedgerTimeoutError extends defineError('LEDGER_TIMEOUT', 'runtime') {}

/** Too many records wait for the network; retry later or slow down. */
export class LedgerBackpressureError extends defineError('LEDGER_BACKPRESSURE', 'runtime') {}

/** No CometBFT node answered. */
export class LedgerUnavailableError extends defineError('LEDGER_UNAVAILABLE', 'runtime') {}

/** A receipt failed verification (offline proof or its anchor on the chain). */
export class LedgerReceiptInvalidError extends defineError(
  'LEDGER_RECEIPT_INVALID',
  'application',
) {}

/** A record given to the ledger is not well-formed (kind, key or dataHex). */
export class LedgerRecordInvalidError extends defineError('LEDGER_RECORD_INVALID', 'application') {}

/** The cometbft binary (or another ledger tool) is missing. */
export class LedgerToolMissingError extends defineError('LEDGER_TOOL_MISSING', 'runtime') {}

/** A localnet could not be created, started or reached. */
export class LedgerLocalnetError extends defineError('LEDGER_LOCALNET_FAILED', 'runtime') {}
