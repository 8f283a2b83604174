/**
 * Follows the events of some contracts from a start block onwards, block range by block range,
 * in chain order: the security actors replay everything since deployment at start (the
 * contracts cannot be enumerated) and then poll for new blocks. Each batch is handed over with
 * the block it is complete through, so a mirror can say "as of block N". Uses eth_getLogs with
 * explicit ranges (no filters a node may forget), so a missed poll only delays, never loses.
 */
import {
  type Abi,
  type Address,
  type Chain,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from 'viem'
import type { Clock, TimerHandle } from '../../runtime/index.ts'
import { ChainRpcUnavailableError, failureDetails } from './errors.ts'

export type FollowedContract = {
  readonly name: string
  readonly address: Address
  readonly abi: Abi
}

/** One decoded event (values as viem decodes them: bigints stay bigints). */
export type ChainLog = {
  readonly contract: string
  readonly eventName: string
  readonly args: Readonly<Record<string, unknown>>
  readonly blockNumber: bigint
  readonly logIndex: number
}

export type FollowContractLogsOptions = {
  contracts: readonly FollowedContract[]
  /** First block to read. */
  fromBlock: bigint
  clock: Clock
  intervalMs: number
  /** Largest block range per eth_getLogs; default 5,000 (public nodes cap ranges). */
  maxRange?: bigint | undefined
  /**
   * Called with each range's events (possibly none) and the block they are complete through;
   * the next range is read only after it settles (a mirror may read state at `throughBlock`).
   */
  onLogs(logs: readonly ChainLog[], throughBlock: bigint): void | Promise<void>
  onError(error: ChainRpcUnavailableError): void
}

export type LogFollower = {
  /** Reads up to the chain head now; resolves with the block the mirror is complete through. */
  catchUp(): Promise<bigint>
  /** Polls every `intervalMs` until stopped. */
  start(): void
  stop(): void
}

/** Creates a follower; nothing is read before `catchUp()` or `start()`. */
export function followContractLogs(
  publicClient: PublicClient<Transport, Chain>,
  options: FollowContractLogsOptions,
): LogFollower {
  const names = new Map(options.contracts.map((c) => [c.address.toLowerCase(), c.name]))
  const abi = options.contracts.flatMap((c) => c.abi.filter((item) => item.type === 'event'))
  const maxRange = options.maxRange ?? 5_000n
  let next = options.fromBlock
  let timer: TimerHandle | undefined
  let stopped = false
  let running: Promise<bigint> | undefined

  async function readUpTo(head: bigint): Promise<void> {
    while (next <= head) {
      const toBlock = next + maxRange - 1n < head ? next + maxRange - 1n : head
      const raw = await publicClient.getLogs({
        address: options.contracts.map((c) => c.address),
        fromBlock: next,
        toBlock,
      })
      const logs = parseEventLogs({ abi, logs: raw, strict: true }).map(
        (log): ChainLog => ({
          contract: names.get(log.address.toLowerCase()) ?? 'unknown',
          eventName: log.eventName,
          args: log.args as Record<string, unknown>,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        }),
      )
      await options.onLogs(logs, toBlock)
      next = toBlock + 1n
    }
  }

  async function catchUpOnce(): Promise<bigint> {
    try {
      await readUpTo(await publicClient.getBlockNumber({ cacheTime: 0 }))
      return next - 1n
    } catch (error) {
      throw error instanceof ChainRpcUnavailableError
        ? error
        : new ChainRpcUnavailableError(
            'reading contract events failed; the mirror lags until the node answers',
            {
              details: failureDetails(error),
            },
          )
    }
  }

  function catchUp(): Promise<bigint> {
    // One read at a time: a poll and an explicit catch-up share the same run.
    running ??= catchUpOnce().finally(() => {
      running = undefined
    })
    return running
  }

  function schedule(): void {
    if (stopped) return
    timer = options.clock.setTimeout(() => {
      catchUp()
        .catch((error: ChainRpcUnavailableError) => options.onError(error))
        .finally(schedule)
    }, options.intervalMs)
  }

  return {
    catchUp,
    start: schedule,
    stop() {
      stopped = true
      if (timer) options.clock.clearTimeout(timer)
    },
  }
}
