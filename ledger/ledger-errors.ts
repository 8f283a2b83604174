/**
 * Every error class ledger/ (CometBFT and Ethereum) declares, and their codes as one union type
 * (`LedgerErrorCode`); tests/error-codes.test.ts checks the list against the
 * classes in the code and docs/errors.md. A folder's errors.ts holds error classes only, so its
 * namespace's values are its error list.
 */
import type { ErrorCodeOf } from '../runtime/index.ts'
import { AccessNamespaceError } from './cometbft/record-namespace.ts'
import * as cometbftErrors from './errors.ts'
import { CometbftSourceUnavailableError } from './ethereum/cometbft-batch-source.ts'
import * as ethereumErrors from './ethereum/errors.ts'
import { AnvilUnavailableError } from './ethereum/start-anvil.ts'

export const ledgerErrors = [
  AccessNamespaceError,
  ...Object.values(cometbftErrors),
  CometbftSourceUnavailableError,
  ...Object.values(ethereumErrors),
  AnvilUnavailableError,
] as const

export type LedgerErrorCode = ErrorCodeOf<typeof ledgerErrors>
