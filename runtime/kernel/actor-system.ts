/**
 * The kernel's public API as types: what `createActorSystem` returns
 * (create-actor-system.ts), its options, and what its calls answer.
 */
import type { ActorSource } from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'
import type { Clock } from '../clock/clock.ts'
import type { SupervisorInfo, SupervisorOptions } from '../supervisor/supervision-tree.ts'
import type { ThreadPriority } from '../worker/thread-priority.ts'
import type { ActorStats, ActorStatus, StopResult } from './actor-cell.ts'
import type { ActorSnapshot, SnapshotHook, SnapshotHookScope } from './actor-snapshot.ts'
import type { DeadLetter } from './dead-letters.ts'
import type { SwapResult } from './hot-swap.ts'
import type { KernelConfig, KernelConfigInput, OverflowPolicy } from './kernel-config.ts'
import type { AskOptions, RemoteRouter, TellOptions } from './message-delivery.ts'
import type { SystemEventListener } from './system-events.ts'

export type { ActorSnapshot, SnapshotHook, SnapshotHookScope } from './actor-snapshot.ts'
export type { AskOptions, RemoteRouter, TellOptions } from './message-delivery.ts'

export type ActorSystemOptions = {
  /** Drives timeouts, backoff and deadlines; default the system clock. Tests pass a TestClock. */
  clock?: Clock | undefined
  /** The kernel config section (validated; missing fields take their defaults). */
  config?: KernelConfigInput | undefined
  remote?: RemoteRouter | undefined
  /**
   * The caller given to messages an actor sends through its context without
   * an explicit `{ caller }` (a host passes its own principal, see
   * `hostCaller`); called once per actor name. Default: no caller.
   */
  actorCaller?: ((actor: string) => Caller | undefined) | undefined
  /**
   * Persists every snapshot the kernel receives (a host replicates it to a
   * peer); answers wait for the promise it returns. See {@link SnapshotHook}.
   */
  onSnapshot?: SnapshotHook | undefined
}

export type SpawnOptions = {
  /** Plain-data arguments for the actor's `init`. */
  args?: unknown
  mailbox?: { capacity?: number | undefined; overflow?: OverflowPolicy | undefined } | undefined
  /** Supervisor to hang under; default `root`. */
  supervisor?: string | undefined
  /**
   * Snapshot after a batch once this many messages were processed since the
   * last one (restarts resume from it). Default 1 when the definition has a
   * `snapshot` hook, else 0 (never; restarts run init).
   */
  snapshotEvery?: number | undefined
  /**
   * The worker thread's scheduling priority: `high` runs it ahead of the host's other busy threads
   * (an actor the others wait on, such as the one writer of a database), `low` behind them. Default:
   * the process's. Raising it needs CAP_SYS_NICE; refused, the actor runs anyway and the kernel
   * emits `actor.priority_refused`.
   */
  priority?: ThreadPriority | undefined
  /** Messages in flight to the worker; default kernel.dispatchCredits. */
  dispatchCredits?: number | undefined
  /**
   * Import: start from this snapshot (an {@link ActorSystem.exportSnapshot}
   * result, possibly from another host) instead of init — through the
   * definition's `migrate` hook, else as the state itself. Its `kind` must be
   * the definition's name.
   */
  restore?: ActorSnapshot | undefined
}

export type StopOptions = { deadlineMs?: number | undefined }

/** One actor in {@link ActorSystem.listActors}. */
export type ActorInfo = {
  readonly name: string
  /** The definition's `name` (actor kind). */
  readonly kind: string
  readonly version: number
  readonly status: ActorStatus
  readonly supervisor: string
  readonly module: string
}

/** What a gateway or RPC layer needs to know about an actor's protocol. */
export type ActorDescription = {
  readonly name: string
  readonly kind: string
  readonly version: number
  readonly protocol: Protocol
}

export type ShutdownResult = {
  readonly drained: number
  readonly undelivered: number
  /** Actors that hit the deadline with messages left. */
  readonly timedOut: readonly string[]
}

/** A handle on one actor (by name; survives restarts and swaps). */
export type ActorRef = {
  readonly name: string
  ask<Reply = unknown>(type: string, payload: unknown, options?: AskOptions): Promise<Reply>
  tell(type: string, payload: unknown, options?: TellOptions): void
}

export type ActorSystem = {
  readonly config: KernelConfig
  readonly clock: Clock
  /** Starts an actor in its own worker and waits until its init ran. */
  spawn(name: string, source: ActorSource, options?: SpawnOptions): Promise<ActorRef>
  /** Adds a supervisor (before spawning its children). */
  supervise(name: string, options?: SupervisorOptions): void
  /** Request/reply; rejects with a typed error (timeout, cancel, crash, mailbox full, protocol…). */
  ask<Reply = unknown>(
    actor: string,
    type: string,
    payload: unknown,
    options?: AskOptions,
  ): Promise<Reply>
  /** One-way; throws at once when the message cannot be queued (MailboxFull, ProtocolViolation…). */
  tell(actor: string, type: string, payload: unknown, options?: TellOptions): void
  /** Hot-swaps an actor to new code; rejects with MigrationFailedError after rolling back. */
  swap(actor: string, source: ActorSource): Promise<SwapResult>
  /** Drains and stops one actor. */
  stop(actor: string, options?: StopOptions): Promise<StopResult>
  /** Drains every mailbox within the deadline, runs terminate hooks, ends every worker. */
  shutdown(options?: StopOptions): Promise<ShutdownResult>
  has(actor: string): boolean
  /** True when `actor` runs here and its worker is serving (not starting, crashed or restarting). */
  serving(actor: string): boolean
  stats(actor: string): ActorStats
  listActors(): ActorInfo[]
  listSupervisors(): SupervisorInfo[]
  describe(actor: string): ActorDescription
  /** Dead letters: total count and the most recent ones (without payloads). */
  deadLetters(): { readonly count: number; readonly recent: readonly DeadLetter[] }
  /** Lifecycle and supervision events; returns the unsubscribe function. */
  subscribe(listener: SystemEventListener): () => void
  /** Sets (or clears) where names not spawned here go; for layers created after the system. */
  setRemoteRouter(router: RemoteRouter | undefined): void
  /** Sets (or clears) the snapshot hook ({@link ActorSystemOptions.onSnapshot}). */
  setSnapshotHook(hook: SnapshotHook | undefined, scope?: SnapshotHookScope): void
  /** Export: a fresh snapshot of the actor's state, taken between two messages. */
  exportSnapshot(actor: string): Promise<ActorSnapshot>
  /** The kernel's copy of the actor's state (updated with every snapshot), without asking its worker. */
  lastSnapshot(actor: string): ActorSnapshot | undefined
  /** Fault injection: kills the actor's worker thread as a crash would; false when it has none. */
  killWorker(actor: string): boolean
}
