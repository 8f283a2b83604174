/**
 * Errors of the security actors' chain access. They carry the same codes as the Ethereum
 * ledger's errors (docs/errors.md `ETH_*`): to a caller a refused transaction is ETH_TX_REVERTED
 * whichever actor sent it. Messages never carry RPC URLs or key material.
 */
import { type BaseErrorOptions, defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** A call or transaction reverted; `meta.errorName` is the contract's custom error. */
export class ChainTxRevertedError extends defineError('ETH_TX_REVERTED') {
  constructor(
    parameters: { contract: string; functionName: string; errorName?: string | undefined },
    options: BaseErrorOptions = {},
  ) {
    super(
      `${parameters.contract}.${parameters.functionName} reverted: ${parameters.errorName ?? 'without a decodable reason'}`,
      {
        kind: 'application',
        ...options,
        meta: { ...parameters, ...options.meta },
      },
    )
  }
}

/** The JSON-RPC endpoint could not be reached, serves another chain, or failed a request. */
export class ChainRpcUnavailableError extends defineError('ETH_RPC_UNAVAILABLE', 'runtime') {}

/** The endpoint serves another chain than configured. */
export class ChainMismatchError extends defineError('ETH_CHAIN_MISMATCH') {
  constructor(expected: number, served: number) {
    super(
      `the RPC endpoint serves chain ${served}, not the configured chain ${expected}; fix chainId or rpcUrl`,
      { kind: 'runtime', meta: { expected, served } },
    )
  }
}

/** The contract addresses file is missing or malformed. */
export class ChainAddressesInvalidError extends defineError('ETH_ADDRESSES_FILE_INVALID') {
  constructor(path: string, problem: string) {
    super(
      `contract addresses file ${path} ${problem}; write it with 'vigil contracts deploy --out'`,
      { kind: 'runtime', meta: { path } },
    )
  }
}

/** The first line of a lower-level message, URLs removed (they may carry credentials). */
export function failureDetails(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[rpc url]')
}

/** Every error class of this package; `ChainErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const chainErrors = [
  ChainTxRevertedError,
  ChainRpcUnavailableError,
  ChainMismatchError,
  ChainAddressesInvalidError,
] as const

export type ChainErrorCode = ErrorCodeOf<typeof chainErrors>
