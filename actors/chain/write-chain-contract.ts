/**
 * One state-changing call from a security actor's own account: simulate (a refusal surfaces as
 * the contract's custom error before a nonce is taken), send, wait for the receipt. The actor
 * kernel hands an actor one message at a time, so its writes are sequential and viem's default
 * nonce lookup (pending count) is current.
 */
import {
  type Abi,
  type Address,
  ContractFunctionRevertedError,
  type Hash,
  BaseError as ViemBaseError,
} from 'viem'
import type { ChainConnection } from './connect-chain.ts'
import { ChainRpcUnavailableError, ChainTxRevertedError, failureDetails } from './errors.ts'

export type ChainWrite = {
  /** Contract name for errors, e.g. `CapabilityAccessControl`. */
  contract: string
  address: Address
  abi: Abi
  functionName: string
  args: readonly unknown[]
}

export type ChainWriteResult = { readonly txHash: Hash; readonly blockNumber: bigint }

/** Simulates, sends and confirms; throws ETH_TX_REVERTED or ETH_RPC_UNAVAILABLE. */
export async function writeChainContract(
  connection: ChainConnection,
  write: ChainWrite,
): Promise<ChainWriteResult> {
  const { wallet, publicClient } = connection
  if (!wallet) {
    throw new ChainRpcUnavailableError(
      `cannot send ${write.contract}.${write.functionName}: no key file`,
    )
  }
  try {
    const { request } = await publicClient.simulateContract({ ...write, account: wallet.account })
    const txHash = await wallet.client.writeContract(request)
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: txHash,
      pollingInterval: connection.pollingIntervalMs,
      timeout: 60_000,
    })
    if (receipt.status !== 'success') {
      throw new ChainTxRevertedError({ contract: write.contract, functionName: write.functionName })
    }
    return { txHash, blockNumber: receipt.blockNumber }
  } catch (error) {
    throw chainError(error, write)
  }
}

function chainError(error: unknown, write: ChainWrite): Error {
  if (error instanceof ChainTxRevertedError) return error
  const context = { contract: write.contract, functionName: write.functionName }
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError) {
      return new ChainTxRevertedError({ ...context, errorName: reverted.data?.errorName })
    }
  }
  // No cause: viem's messages embed the RPC URL, which may carry credentials.
  return new ChainRpcUnavailableError(
    `the Ethereum node failed ${write.contract}.${write.functionName}`,
    { details: failureDetails(error) },
  )
}
