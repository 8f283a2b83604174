/**
 * Turns viem's errors into vigil's typed, serializable ones: a revert becomes ETH_TX_REVERTED
 * with the decoded custom error name and arguments, transport failures ETH_RPC_UNAVAILABLE,
 * a missing receipt ETH_RECEIPT_TIMEOUT. The raw viem error is not kept as the cause: its
 * message embeds the RPC URL, which may carry credentials or an API key in the path.
 */
import {
  ContractFunctionRevertedError,
  HttpRequestError,
  TimeoutError,
  BaseError as ViemBaseError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem'
import { BaseError } from '../../runtime/index.ts'
import { rpcFailureDetails } from './create-chain-clients.ts'
import { EthReceiptTimeoutError, EthRpcUnavailableError, EthTxRevertedError } from './errors.ts'

export type ViemErrorContext = {
  contract: string
  functionName: string
  txHash?: string | undefined
  timeoutMs?: number | undefined
}

/** Maps anything a viem action threw to a vigil error (already-vigil errors pass through). */
export function mapViemError(error: unknown, context: ViemErrorContext): BaseError {
  if (error instanceof BaseError) return error
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError) {
      return new EthTxRevertedError({
        contract: context.contract,
        functionName: context.functionName,
        errorName: reverted.data?.errorName ?? (reverted.reason ? 'Error' : undefined),
        errorArgs: reverted.data?.args ?? (reverted.reason ? [reverted.reason] : []),
        txHash: context.txHash,
      })
    }
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      return new EthReceiptTimeoutError(context.txHash ?? 'unknown', context.timeoutMs ?? 0)
    }
    const transport = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)
    if (transport) {
      return new EthRpcUnavailableError(
        `the Ethereum RPC endpoint failed during ${context.contract}.${context.functionName}`,
        { details: rpcFailureDetails(transport) },
      )
    }
    return new EthRpcUnavailableError(
      `the Ethereum node refused ${context.contract}.${context.functionName}`,
      { details: rpcFailureDetails(error) },
    )
  }
  return new EthRpcUnavailableError(
    `unexpected failure during ${context.contract}.${context.functionName}`,
    { details: rpcFailureDetails(error) },
  )
}
