/**
 * Every error class ledger/ (CometBFT and Ethereum) declares, and their codes as one union type
 * (`LedgerErrorCode`); tests/error-codes.test.ts checks the list against the
 * classes in the code and docs/errors.md.
 */
import type { ErrorCodeOf } from '../runtime/index.ts'
import { AccessNamespaceError } from './cometbft/record-namespace.ts'
import {
  LedgerBackpressureError,
  LedgerLocalnetError,
  LedgerReceiptInvalidError,
  LedgerRecordInvalidError,
  LedgerTimeoutError,
  LedgerToolMissingError,
  LedgerTxRejectedError,
  LedgerUnavailableError,
} from './errors.ts'
import { CometbftSourceUnavailableError } from './ethereum/cometbft-batch-source.ts'
import {
  AccessDeniedError,
  EthAddressesFileInvalidError,
  EthChainMismatchError,
  EthInvalidArgumentError,
  EthKeyFileInvalidError,
  EthKeyIsAdminError,
  EthNotAnchorerError,
  EthReceiptTimeoutError,
  EthRpcUnavailableError,
  EthTxRevertedError,
} from './ethereum/errors.ts'
import { AnvilUnavailableError } from './ethereum/start-anvil.ts'

export const ledgerErrors = [
  AccessNamespaceError,
  LedgerTxRejectedError,
  LedgerTimeoutError,
  LedgerBackpressureError,
  LedgerUnavailableError,
  LedgerReceiptInvalidError,
  LedgerRecordInvalidError,
  LedgerToolMissingError,
  LedgerLocalnetError,
  CometbftSourceUnavailableError,
  EthTxRevertedError,
  EthRpcUnavailableError,
  EthReceiptTimeoutError,
  EthKeyFileInvalidError,
  EthAddressesFileInvalidError,
  EthChainMismatchError,
  EthInvalidArgumentError,
  AccessDeniedError,
  EthKeyIsAdminError,
  EthNotAnchorerError,
  AnvilUnavailableError,
] as const

export type LedgerErrorCode = ErrorCodeOf<typeof ledgerErrors>
