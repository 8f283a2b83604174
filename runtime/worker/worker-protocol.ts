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
 */

import type { ResolvedActorSource } from '../actor/actor-source.ts'
import type { WireError } from '../errors/base-error.ts'

/** One user message as the worker sees it; `reply` says whether a caller waits. */
export type WorkerEnvelope = {
  readonly type: string
  readonly payload: unknown
  readonly reply: boolean
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
}

export type ToWorker =
  | StartMessage
  | { readonly t: 'batch'; readonly items: readonly WorkerEnvelope[] }
  | { readonly t: 'snapshot' }
  | { readonly t: 'stop' }
  | { readonly t: 'ctx-reply'; readonly id: number; readonly ok: boolean; readonly value: unknown }

/**
 * Result of one envelope, in dispatch order: `null` for a one-way message that
 * succeeded, `{ok: true, value}` for a reply, `{ok: false, error}` when the
 * handler answered with a vigil error (the actor keeps running).
 */
export type EnvelopeResult =
  | null
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: WireError }

/** Something an actor sends through its context (routed by the parent). */
export type OutboundItem =
  | { readonly k: 'tell'; readonly to: string; readonly type: string; readonly payload: unknown }
  | {
      readonly k: 'ask'
      readonly id: number
      readonly to: string
      readonly type: string
      readonly payload: unknown
      readonly timeoutMs: number | undefined
    }
  | {
      readonly k: 'log'
      readonly event: string
      readonly data: Record<string, unknown> | undefined
    }

export type FromWorker =
  | { readonly t: 'hello' }
  | { readonly t: 'started'; readonly name: string; readonly version: number }
  | { readonly t: 'start-failed'; readonly error: WireError }
  | {
      readonly t: 'results'
      readonly results: readonly EnvelopeResult[]
      /** Handler time per processed envelope, microseconds. */
      readonly durationsUs: readonly number[]
      /** Present when a snapshot was taken after these results. */
      readonly snapshot?: { readonly version: number; readonly value: unknown } | undefined
      /** Present when the next envelope crashed the actor (thrown non-vigil error). */
      readonly crash?: WireError | undefined
    }
  | {
      readonly t: 'snapshot'
      readonly version: number
      readonly value: unknown
      readonly error?: WireError | undefined
    }
  | { readonly t: 'stopped' }
  | { readonly t: 'out'; readonly items: readonly OutboundItem[] }
  | { readonly t: 'fatal'; readonly error: WireError }
