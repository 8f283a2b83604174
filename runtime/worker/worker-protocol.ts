/**
 * The envelope protocol between the kernel (parent thread) and the generic
 * actor worker (worker-main.ts). Plain data only, dispatched on `t`, never on
 * `instanceof`. User messages travel in batches (one postMessage carries many
 * envelopes; results come back the same way, in order), which is how the
 * kernel amortises postMessage cost; control messages travel alone.
 *
 * Handshake: the worker posts `hello` once its listener is attached; the
 * parent sends nothing (and never terminates it) before that. `start` loads
 * the actor (init, or migrate from a snapshot) and is answered by `started`
 * or `start-failed`; it is also how an actor restarts inside a healthy worker.
 * `load` imports the module ahead of time (answered by `loaded` or
 * `start-failed`), so a hot swap does not pay for compilation while paused.
 */

import type { ResolvedActorSource } from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { WireError } from '../errors/base-error.ts'
import type {
  DropLinkMessage,
  LinkAcceptMessage,
  LinkLostMessage,
  LinkMessage,
} from './link-protocol.ts'
import type { PriorityOutcome, ThreadPriority } from './thread-priority.ts'

/** One user message as the worker sees it; `reply` says whether a caller waits. */
export type WorkerEnvelope = {
  readonly type: string
  readonly payload: unknown
  readonly reply: boolean
  /** On whose behalf it was sent (the handler's `context.caller`). */
  readonly caller: Caller | undefined
}

/** State to start from instead of init: a snapshot and the version that took it. */
export type RestoreFrom = { readonly fromVersion: number; readonly snapshot: unknown }

export type StartMessage = {
  readonly t: 'start'
  readonly actor: string
  readonly source: ResolvedActorSource
  readonly args: unknown
  readonly restore: RestoreFrom | undefined
  /** Take a snapshot after a batch once this many messages were processed since the last (0 = never). */
  readonly snapshotEvery: number
  readonly simulateSerialization: boolean
  /** The worker thread's priority while this actor runs in it; undefined leaves it as it is. */
  readonly priority?: ThreadPriority | undefined
}

export type ToWorker =
  | StartMessage
  | {
      /** Envelopes as parallel arrays (fewer objects to clone); `replies[i]` is 1 when a caller waits. */
      readonly t: 'batch'
      readonly types: readonly string[]
      readonly payloads: readonly unknown[]
      readonly replies: readonly (0 | 1)[]
      /** `callers[i]` is the caller of envelope i; absent when no envelope of the batch has one. */
      readonly callers?: readonly (Caller | undefined)[] | undefined
    }
  | { readonly t: 'load'; readonly source: ResolvedActorSource }
  | { readonly t: 'snapshot' }
  | { readonly t: 'stop' }
  /** Close every direct link into this actor (answered `links-closed`); see link-protocol.ts. */
  | { readonly t: 'close-links' }
  | LinkMessage
  | LinkAcceptMessage
  | LinkLostMessage
  | DropLinkMessage
  | {
      /** Answers to the actor's `ctx.ask`s: ids and values in parallel; `failed` holds errors. */
      readonly t: 'ctx-replies'
      readonly ids: readonly number[]
      readonly values: readonly unknown[]
      readonly failed: readonly (readonly [number, WireError])[]
    }

/** What an actor sends through its context (a number on the wire: smaller to clone than a string). */
export const OutboundKind = {
  tell: 0,
  ask: 1,
  /** `type` is the event, `payload` its data. */
  log: 2,
  /** Direct link set up: `payload` is the link id (see link-protocol.ts). */
  fence: 3,
  /** The sender closed its end of link `payload` (the pair may be linked again). */
  unlinked: 4,
  /** A message sent on a link became a dead letter; `payload` is the reason. */
  dead: 5,
} as const
export type OutboundKind = (typeof OutboundKind)[keyof typeof OutboundKind]

/**
 * A turn's worth of context sends as parallel arrays, in the order the actor
 * made them (so tells and asks to one target keep their order). `ids[i]` is
 * the ask id (0 otherwise); `timeouts[i]` the ask timeout in ms (0 = default).
 */
export type Outbound = {
  readonly t: 'out'
  readonly kinds: readonly OutboundKind[]
  readonly ids: readonly number[]
  readonly tos: readonly string[]
  readonly types: readonly string[]
  readonly payloads: readonly unknown[]
  readonly timeouts: readonly number[]
  /**
   * `callers[i]` is the caller the actor passed explicitly (`{ caller }`);
   * undefined means "on the host's own behalf" (the kernel fills in its principal).
   */
  readonly callers: readonly (Caller | undefined)[]
}

export type FromWorker =
  | { readonly t: 'hello' }
  | {
      readonly t: 'started'
      readonly name: string
      readonly version: number
      /** How the start message's priority was applied (absent when it asked for none). */
      readonly priority?: PriorityOutcome | undefined
    }
  | { readonly t: 'start-failed'; readonly error: WireError }
  | { readonly t: 'loaded'; readonly name: string; readonly version: number }
  | {
      /**
       * Outcomes of the next envelopes in dispatch order: `values[i]` is the
       * reply (undefined for one-way messages); `errors` lists `[i, error]`
       * for handlers that answered a vigil error (the actor keeps running).
       */
      readonly t: 'results'
      readonly values: readonly unknown[]
      readonly errors: readonly (readonly [number, WireError])[]
      /** Handler time per processed envelope, microseconds. */
      readonly durationsUs: readonly number[]
      /** Present when a snapshot was taken after these results. */
      readonly snapshot?: { readonly version: number; readonly value: unknown } | undefined
      /** Present when the next envelope crashed the actor (thrown non-vigil error). */
      readonly crash?: WireError | undefined
      /**
       * With `crash`: the crashed message came over a direct link (its type);
       * its sender was told, and every envelope the kernel dispatched is unstarted.
       */
      readonly crashedLink?: string | undefined
    }
  | { readonly t: 'links-closed' }
  | {
      /** Counters of messages handled from direct links since the last report. */
      readonly t: 'link-stats'
      readonly processed: number
      readonly failed: number
      readonly durationsUs: readonly number[]
    }
  | {
      readonly t: 'snapshot'
      readonly version: number
      readonly value: unknown
      readonly error?: WireError | undefined
    }
  | { readonly t: 'stopped' }
  | Outbound
  | { readonly t: 'fatal'; readonly error: WireError }
