/**
 * What each mirroring security actor does at init: connect, read the contract addresses, replay
 * the chosen contracts' events from their deployment block up to the chain head (init returns
 * only once the mirror is complete), then poll for new blocks on the actor's clock.
 */
import type { ActorContext } from '../../runtime/index.ts'
import type { ChainOptions, ContractAddresses } from './chain-options.ts'
import { type ChainConnection, connectChain } from './connect-chain.ts'
import { ChainMismatchError } from './errors.ts'
import {
  type ChainLog,
  type FollowedContract,
  followContractLogs,
  type LogFollower,
} from './follow-contract-logs.ts'
import { readContractAddresses } from './read-contract-addresses.ts'

export type ChainMirror = {
  readonly connection: ChainConnection
  readonly addresses: ContractAddresses
  readonly follower: LogFollower
}

export type StartChainMirrorOptions = {
  chain: ChainOptions & { pollingIntervalMs: number }
  /** The actor's own signing key, if it sends transactions. */
  keyFile?: string | undefined
  contracts(addresses: ContractAddresses): FollowedContract[]
  /** Each range's events; `chain` lets a mirror read contract state at `throughBlock`. */
  onLogs(
    logs: readonly ChainLog[],
    throughBlock: bigint,
    chain: Omit<ChainMirror, 'follower'>,
  ): void | Promise<void>
}

/** Connects, catches up with the chain and starts polling. */
export async function startChainMirror(
  options: StartChainMirrorOptions,
  context: ActorContext,
): Promise<ChainMirror> {
  const addresses = await readContractAddresses(options.chain)
  if (addresses.chainId !== options.chain.chainId) {
    throw new ChainMismatchError(options.chain.chainId, addresses.chainId)
  }
  const connection = await connectChain({
    chainId: options.chain.chainId,
    rpcUrl: options.chain.rpcUrl,
    keyFile: options.keyFile,
    pollingIntervalMs: options.chain.pollingIntervalMs,
  })
  const follower = followContractLogs(connection.publicClient, {
    contracts: options.contracts(addresses),
    fromBlock: BigInt(addresses.deployedAtBlock),
    clock: context.clock,
    intervalMs: options.chain.pollingIntervalMs,
    onLogs: (logs, throughBlock) => options.onLogs(logs, throughBlock, { connection, addresses }),
    onError: (error) =>
      context.log('chain_mirror_lagging', { code: error.code, message: error.shortMessage }),
  })
  await follower.catchUp()
  follower.start()
  return { connection, addresses, follower }
}
