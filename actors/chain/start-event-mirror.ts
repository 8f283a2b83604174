/**
 * A read-only actor's chain mirror that is rebuilt from one contract's events alone (identity,
 * privacy-policy): every log goes to `mirror.apply`, then the mirror learns the block it is
 * complete through. Actors that also read contract state per range use startChainMirror.
 */
import type { ActorContext } from '../../runtime/index.ts'
import type { ChainOptions, ContractAddresses } from './chain-options.ts'
import type { ChainLog, FollowedContract } from './follow-contract-logs.ts'
import { type ChainMirror, startChainMirror } from './start-chain-mirror.ts'

/** State rebuilt from events. */
export type EventMirror = {
  apply(log: ChainLog): void
  advance(block: bigint): void
}

/** Replays `contract`'s events into `mirror` up to the chain head, then follows new blocks. */
export function startEventMirror(
  chain: ChainOptions & { pollingIntervalMs: number },
  contract: (addresses: ContractAddresses) => FollowedContract,
  mirror: EventMirror,
  context: ActorContext,
): Promise<ChainMirror> {
  return startChainMirror(
    {
      chain,
      contracts: (addresses) => [contract(addresses)],
      onLogs(logs, through) {
        for (const log of logs) mirror.apply(log)
        mirror.advance(through)
      },
    },
    context,
  )
}
