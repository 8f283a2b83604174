/** The error a caller gets when the ledger app refused its transaction with a code. */
import { txCodeName } from '../abci/tx-codes.ts'
import { LedgerTxRejectedError } from '../errors.ts'

/** LEDGER_TX_REJECTED for tx `txHash`, refused with `code` and the app's `log`. */
export function txRejection(code: number, log: string, txHash: string): LedgerTxRejectedError {
  return new LedgerTxRejectedError(
    `ledger rejected the transaction with ${txCodeName(code)} (${code}): ${log}`,
    code,
    { meta: { txHash, codeName: txCodeName(code) } },
  )
}
