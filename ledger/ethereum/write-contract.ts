/**
 * One state-changing contract call, end to end: simulate (so a refusal surfaces as the decoded
 * custom error before any nonce is taken), send through the account's nonce manager (so
 * concurrent writes from one key get consecutive nonces), and wait for the receipt.
 *
 * Taking the nonce and sending are serialized per account and chain (receipts are still awaited
 * concurrently). viem's nonce manager (2.57) only counts on from a cached nonce when that nonce
 * is above 0 and re-reads the pending count otherwise: for an account that has never sent, a
 * second write that takes its nonce after the first took nonce 0 but before the node saw that
 * transaction got nonce 0 again, and one of the two failed (the anchoring job's concurrent
 * batches hit this). With one send at a time the pending count is always current, and the reset
 * after a failed send cannot race with another write holding a nonce it has not sent yet.
 */
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hash, Log } from 'viem'
import type { ChainClients } from './create-chain-clients.ts'
import { EthInvalidArgumentError, EthTxRevertedError } from './errors.ts'
import { mapViemError } from './map-viem-error.ts'
import { serializePerKey } from './serialize-per-key.ts'

type Mutability = 'nonpayable' | 'payable'

export type WriteContractParameters<
  TAbi extends Abi,
  TFunction extends ContractFunctionName<TAbi, Mutability>,
> = {
  /** Contract name for errors, e.g. `IdentityRegistry`. */
  contract: string
  address: Address
  abi: TAbi
  functionName: TFunction
  args: ContractFunctionArgs<TAbi, Mutability, TFunction>
  /** Give up waiting for the receipt after this many ms. Default 60,000. */
  timeoutMs?: number | undefined
}

export type WriteContractResult = {
  readonly txHash: Hash
  readonly blockNumber: bigint
  readonly gasUsed: bigint
  readonly logs: readonly Log[]
}

/** Simulates, sends and confirms a contract write; throws ETH_* errors (see map-viem-error.ts). */
export async function writeContract<
  const TAbi extends Abi,
  TFunction extends ContractFunctionName<TAbi, Mutability>,
>(
  clients: ChainClients,
  parameters: WriteContractParameters<TAbi, TFunction>,
): Promise<WriteContractResult> {
  const { walletClient, publicClient, account } = clients
  if (!walletClient || !account) {
    throw new EthInvalidArgumentError(
      `cannot call ${parameters.contract}.${parameters.functionName}: the clients have no key file`,
    )
  }
  const context = { contract: parameters.contract, functionName: parameters.functionName }
  const call = {
    account,
    address: parameters.address,
    abi: parameters.abi as Abi,
    functionName: parameters.functionName as string,
    args: parameters.args as readonly unknown[],
  }
  // Simulation takes no nonce: a refusal here leaves the nonce manager untouched (resetting
  // it while other writes from this key are between nonce and send would hand out duplicates).
  let request: Awaited<ReturnType<typeof publicClient.simulateContract>>['request']
  try {
    request = (await publicClient.simulateContract(call)).request
  } catch (error) {
    throw mapViemError(error, context)
  }
  const hash = await serializePerKey(`${clients.chain.id}:${account.address}`, async () => {
    try {
      return await walletClient.writeContract(request)
    } catch (error) {
      // The nonce was taken but nothing was sent (state changed since the simulation, or the
      // node refused): forget the cached nonce, or the gap would block every later transaction.
      account.nonceManager?.reset({ address: account.address, chainId: clients.chain.id })
      throw mapViemError(error, context)
    }
  })
  const timeoutMs = parameters.timeoutMs ?? 60_000
  let receipt: Awaited<ReturnType<typeof publicClient.waitForTransactionReceipt>>
  try {
    receipt = await publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: clients.pollingIntervalMs,
      timeout: timeoutMs,
    })
  } catch (error) {
    throw mapViemError(error, { ...context, txHash: hash, timeoutMs })
  }
  if (receipt.status !== 'success') {
    throw new EthTxRevertedError({ ...context, txHash: hash })
  }
  return {
    txHash: hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    logs: receipt.logs,
  }
}
