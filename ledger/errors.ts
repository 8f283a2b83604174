/**
 * Errors of vigil's intra-domain ledger (codes LEDGER_*). Each says what to
 * fix; all are serializable vigil errors (see docs/errors.md).
 */
import { BaseError, type BaseErrorOptions } from '../runtime/index.ts'

/** The ledger refused a transaction; `meta.code` is the CheckTx/FinalizeBlock code (ledger/abci/tx-codes.ts). */
export class LedgerTxRejectedError extends BaseError {
  static override readonly code = 'LEDGER_TX_REJECTED'
  override name = 'LedgerTxRejectedError'
  readonly txCode: number
  constructor(shortMessage: string, txCode: number, options: BaseErrorOptions = {}) {
    super(LedgerTxRejectedError.code, shortMessage, {
      kind: 'application',
      ...options,
      meta: { ...options.meta, code: txCode },
    })
    this.txCode = txCode
  }
}

/** A transaction was accepted into the mempool but not seen in a block in time. */
export class LedgerTimeoutError extends BaseError {
  static override readonly code = 'LEDGER_TIMEOUT'
  override name = 'LedgerTimeoutError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerTimeoutError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** Too many records wait for the network; retry later or slow down. */
export class LedgerBackpressureError extends BaseError {
  static override readonly code = 'LEDGER_BACKPRESSURE'
  override name = 'LedgerBackpressureError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerBackpressureError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** No CometBFT node answered. */
export class LedgerUnavailableError extends BaseError {
  static override readonly code = 'LEDGER_UNAVAILABLE'
  override name = 'LedgerUnavailableError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerUnavailableError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** A receipt failed verification (offline proof or its anchor on the chain). */
export class LedgerReceiptInvalidError extends BaseError {
  static override readonly code = 'LEDGER_RECEIPT_INVALID'
  override name = 'LedgerReceiptInvalidError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerReceiptInvalidError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A record given to the ledger is not well-formed (kind, key or dataHex). */
export class LedgerRecordInvalidError extends BaseError {
  static override readonly code = 'LEDGER_RECORD_INVALID'
  override name = 'LedgerRecordInvalidError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerRecordInvalidError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The cometbft binary (or another ledger tool) is missing. */
export class LedgerToolMissingError extends BaseError {
  static override readonly code = 'LEDGER_TOOL_MISSING'
  override name = 'LedgerToolMissingError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerToolMissingError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** A localnet could not be created, started or reached. */
export class LedgerLocalnetError extends BaseError {
  static override readonly code = 'LEDGER_LOCALNET_FAILED'
  override name = 'LedgerLocalnetError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(LedgerLocalnetError.code, shortMessage, { kind: 'runtime', ...options })
  }
}
