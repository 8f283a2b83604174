/**
 * Watches the events of the deployed contract set (zones and nodes joining, tokens issued or
 * revoked, policies changed, roots anchored) and hands them on as plain data: numbers that may
 * exceed 2^53 become decimal strings, so events can cross workers and hosts unchanged.
 * Over HTTP viem polls with filters (eth_newFilter + eth_getFilterChanges) at the clients'
 * polling interval.
 */
import type { Abi, Address, Log } from 'viem'
import {
  anchor,
  capabilityAccessControl,
  identityRegistry,
  privacyPolicy,
} from '../../contracts/index.ts'
import type { BaseError } from '../../runtime/index.ts'
import type { ContractLocations } from './contract-addresses.ts'
import type { ChainClients } from './create-chain-clients.ts'
import { mapViemError } from './map-viem-error.ts'

export const WATCHABLE_CONTRACTS = [
  'IdentityRegistry',
  'CapabilityAccessControl',
  'PrivacyPolicy',
  'Anchor',
] as const

export type WatchableContract = (typeof WATCHABLE_CONTRACTS)[number]

/** One decoded contract event, as plain data. */
export type ContractEvent = {
  readonly contract: WatchableContract
  readonly eventName: string
  readonly args: Readonly<Record<string, string | number | boolean>>
  readonly blockNumber: number
  readonly txHash: string
  readonly logIndex: number
}

export type WatchContractEventsOptions = {
  /** Which contracts to watch; default all four. */
  contracts?: readonly WatchableContract[] | undefined
  /** Only these event names; default all. */
  eventNames?: readonly string[] | undefined
  onEvents(events: ContractEvent[]): void
  onError?: ((error: BaseError) => void) | undefined
}

/** Starts watching; returns a function that stops every watcher. */
export function watchContractEvents(
  clients: ChainClients,
  addresses: ContractLocations,
  options: WatchContractEventsOptions,
): () => void {
  const targets: Record<WatchableContract, { address: Address; abi: Abi }> = {
    IdentityRegistry: { address: addresses.identityRegistry, abi: identityRegistry.abi },
    CapabilityAccessControl: {
      address: addresses.capabilityAccessControl,
      abi: capabilityAccessControl.abi,
    },
    PrivacyPolicy: { address: addresses.privacyPolicy, abi: privacyPolicy.abi },
    Anchor: { address: addresses.anchor, abi: anchor.abi },
  }
  const wanted = options.eventNames ? new Set(options.eventNames) : undefined
  const unwatchers = (options.contracts ?? WATCHABLE_CONTRACTS).map((contract) =>
    clients.publicClient.watchContractEvent({
      address: targets[contract].address,
      abi: targets[contract].abi,
      pollingInterval: clients.pollingIntervalMs,
      onLogs: (logs: Log[]) => {
        const events = logs
          .map((log) => toContractEvent(contract, log))
          .filter((event) => !wanted || wanted.has(event.eventName))
        if (events.length > 0) options.onEvents(events)
      },
      onError: (error: Error) =>
        options.onError?.(mapViemError(error, { contract, functionName: 'watchContractEvent' })),
    }),
  )
  return () => {
    for (const unwatch of unwatchers) unwatch()
  }
}

function toContractEvent(contract: WatchableContract, log: Log): ContractEvent {
  const decoded = log as Log & { eventName?: string; args?: Record<string, unknown> }
  const args: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(decoded.args ?? {})) {
    args[key] =
      typeof value === 'bigint'
        ? value.toString()
        : typeof value === 'number' || typeof value === 'boolean'
          ? value
          : String(value)
  }
  return {
    contract,
    eventName: decoded.eventName ?? 'unknown',
    args,
    blockNumber: Number(log.blockNumber ?? 0n),
    txHash: log.transactionHash ?? '',
    logIndex: log.logIndex ?? 0,
  }
}
