/**
 * The start and stop of a read-only actor whose state is one contract's events mirrored in
 * memory (identity, privacy-policy): init parses the chain arguments, replays the contract into a
 * fresh mirror and follows it (startEventMirror); terminate stops following.
 */
import type { z } from 'zod'
import { type ActorContext, parseConfig } from '../../runtime/index.ts'
import { type ContractAddresses, chainOptionsSchema } from './chain-options.ts'
import type { FollowedContract } from './follow-contract-logs.ts'
import { requireContractAddresses } from './require-contract-addresses.ts'
import type { ChainMirror } from './start-chain-mirror.ts'
import { type EventMirror, startEventMirror } from './start-event-mirror.ts'

/** Init arguments of an event-mirror actor: the chain and where its contracts are. */
export const eventMirrorArgsSchema = requireContractAddresses(chainOptionsSchema)

export type EventMirrorArgs = z.input<typeof eventMirrorArgsSchema>

/** An event-mirror actor's state: its mirror and the chain follower feeding it. */
export type EventMirrorState<Mirror extends EventMirror> = {
  readonly mirror: Mirror
  readonly chain: ChainMirror
}

export type EventMirrorLifecycleOptions<Mirror extends EventMirror> = {
  /** The actor's name, for the error that names bad init arguments. */
  readonly actor: string
  /** The contract whose events make the mirror. */
  readonly contract: (addresses: ContractAddresses) => FollowedContract
  readonly createMirror: () => Mirror
}

/** `init` and `terminate` for defineActor of an actor that mirrors one contract's events. */
export function eventMirrorLifecycle<Mirror extends EventMirror>(
  options: EventMirrorLifecycleOptions<Mirror>,
) {
  return {
    async init(rawArgs: EventMirrorArgs, context: ActorContext): Promise<EventMirrorState<Mirror>> {
      const args = parseConfig(eventMirrorArgsSchema, rawArgs, `${options.actor} init arguments`)
      const mirror = options.createMirror()
      const chain = await startEventMirror(args, options.contract, mirror, context)
      return { mirror, chain }
    },
    terminate(state: EventMirrorState<Mirror>): void {
      state.chain.follower.stop()
    },
  }
}
