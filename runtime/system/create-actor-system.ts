/**
 * The actor system: the kernel's composition root and public API.
 *
 * ```ts
 * const system = createActorSystem({ clock, config: { mailboxCapacity: 256 } })
 * await system.spawn('counter', { module: './counter-actor.ts', export: 'counterActor' }, { args: { start: 0 } })
 * await system.ask('counter', 'counter.add', { by: 2 }, { timeoutMs: 1000 })   // → reply
 * system.tell('counter', 'counter.add', { by: 1 })        // throws MailboxFullError at once when full
 * await system.swap('counter', './counter-actor-v2.ts')  // OTP-style hot swap; rolls back on failure
 * system.stats('counter'); system.listActors(); system.deadLetters()
 * const off = system.subscribe((event) => …)             // lifecycle & supervision events as data
 * await system.shutdown({ deadlineMs: 5000 })             // drains mailboxes, runs terminate hooks
 * ```
 *
 * Each actor runs in its own Bun Worker that imports the actor's module by
 * URL + export name. Messages are validated against the actor's declared
 * protocol where they enter (ask/tell, and what actors send each other), and
 * with `simulateSerialization` pass through msgpack even inside one host.
 * Actors hang in a supervision tree (`supervise()` adds supervisors; the
 * default is `root`, one_for_one). Names not spawned here can be delegated
 * to a `remote` router (the multi-host layer plugs in there). An actor crash
 * never takes the host down: it becomes an event and a supervised restart.
 */
import {
  type ActorSource,
  importActorDefinition,
  resolveActorSource,
} from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { ActorDefinition, Protocol } from '../actor/define-actor.ts'
import {
  ActorAlreadyExistsError,
  ActorNotFoundError,
  ActorStoppedError,
  MigrationFailedError,
} from '../actor/errors.ts'
import { type Clock, systemClock } from '../clock/clock.ts'
import { parseConfig } from '../config/load-config.ts'
import {
  type KernelConfig,
  type KernelConfigInput,
  kernelConfigSchema,
  type OverflowPolicy,
} from '../kernel/kernel-config.ts'
import {
  ROOT_SUPERVISOR,
  SupervisionTree,
  type SupervisorInfo,
  type SupervisorOptions,
} from '../supervisor/supervision-tree.ts'
import { WorkerSpares } from '../worker/worker-spares.ts'
import {
  ActorCell,
  type ActorStats,
  type ActorStatus,
  type StopResult,
  type SwapResult,
} from './actor-cell.ts'
import { ActorOutbox } from './actor-outbox.ts'
import { AskDeadlines } from './ask-deadlines.ts'
import { type DeadLetter, DeadLetters } from './dead-letters.ts'
import {
  type AskOptions,
  MessageDelivery,
  type RemoteRouter,
  type TellOptions,
} from './message-delivery.ts'

import { type SystemEvent, type SystemEventListener, SystemEvents } from './system-events.ts'

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
  /** Messages in flight to the worker; default kernel.dispatchCredits. */
  dispatchCredits?: number | undefined
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
}

/** Creates an actor system; see the module comment for the API tour. */
export function createActorSystem(options: ActorSystemOptions = {}): ActorSystem {
  const config = parseConfig(kernelConfigSchema, options.config ?? {}, 'kernel config')
  const clock = options.clock ?? systemClock
  const events = new SystemEvents()
  const deadLetters = new DeadLetters(config.deadLetterCapacity)
  const cells = new Map<string, ActorCell>()
  const deadlines = new AskDeadlines(clock)
  const spares = new WorkerSpares(
    { clock, timeoutMs: config.startTimeoutMs, smol: config.workerSmol },
    config.spareWorkers,
  )
  let shuttingDown = false

  const emit = (event: SystemEvent) => events.emit(event)

  const tree = new SupervisionTree({
    clock,
    backoff: { minMs: config.backoffMinMs, maxMs: config.backoffMaxMs },
    root: {
      strategy: 'one_for_one',
      intensity: config.restartIntensity,
      periodMs: config.restartPeriodMs,
    },
    emit,
    restartActor: (name) => void cells.get(name)?.restart(),
    failActor: (name) => void cells.get(name)?.fail(),
  })

  const delivery = new MessageDelivery({
    cells,
    config,
    clock,
    deadlines,
    deadLetters,
    isShuttingDown: () => shuttingDown,
    remote: options.remote,
  })
  const outbox = new ActorOutbox({
    delivery,
    clock,
    deadLetters,
    emit,
    actorCaller: options.actorCaller,
    links: { cells, after: config.directLinkAfter, askTimeoutMs: config.askTimeoutMs },
  })
  const ask = <Reply>(actor: string, type: string, payload: unknown, askOptions?: AskOptions) =>
    delivery.ask<Reply>(actor, type, payload, askOptions)
  const tell = (actor: string, type: string, payload: unknown, tellOptions?: TellOptions) =>
    delivery.tell(actor, type, payload, tellOptions)

  function cellOf(actor: string): ActorCell {
    const cell = cells.get(actor)
    if (!cell) throw new ActorNotFoundError(actor)
    return cell
  }

  const system: ActorSystem = {
    config,
    clock,

    async spawn(name, source, spawnOptions = {}) {
      if (shuttingDown) throw new ActorStoppedError(name, 'the system is shutting down')
      if (cells.has(name) || tree.has(name)) throw new ActorAlreadyExistsError(name)
      const resolved = resolveActorSource(source)
      const definition = await importActorDefinition(resolved)
      const supervisor = spawnOptions.supervisor ?? ROOT_SUPERVISOR
      if (!tree.has(supervisor)) {
        throw new RangeError(`no supervisor named '${supervisor}'; create it with supervise()`)
      }
      const cell = new ActorCell({
        name,
        supervisor,
        source: resolved,
        definition,
        args: spawnOptions.args,
        capacity: spawnOptions.mailbox?.capacity ?? config.mailboxCapacity,
        overflow: spawnOptions.mailbox?.overflow ?? config.overflow,
        credits: spawnOptions.dispatchCredits ?? config.dispatchCredits,
        snapshotEvery: spawnOptions.snapshotEvery ?? (definition.snapshot ? 1 : 0),
        config,
        clock,
        events,
        deadLetters,
        onCrash: (crashed) => tree.actorFailed(crashed.name),
        route: (from, out, worker) => outbox.route(from, out, worker),
        takeWorker: () => spares.take(),
        links: outbox.links,
      })
      cells.set(name, cell)
      tree.addActor(name, supervisor)
      try {
        await cell.start()
      } catch (error) {
        cells.delete(name)
        tree.removeActor(name)
        throw error
      }
      return {
        name,
        ask: (type, payload, askOptions) => ask(name, type, payload, askOptions),
        tell: (type, payload, tellOptions) => tell(name, type, payload, tellOptions),
      }
    },

    supervise(name, supervisorOptions = {}) {
      if (cells.has(name)) throw new ActorAlreadyExistsError(name)
      tree.addSupervisor(name, supervisorOptions, {
        intensity: config.restartIntensity,
        periodMs: config.restartPeriodMs,
      })
    },

    ask,
    tell,

    async swap(actor, source) {
      const cell = cellOf(actor)
      const resolved = resolveActorSource(source)
      let definition: ActorDefinition
      try {
        definition = await importActorDefinition(resolved)
      } catch (error) {
        const failure = new MigrationFailedError(actor, cell.version, undefined, { cause: error })
        emit({
          type: 'actor.swap-failed',
          actor,
          fromVersion: cell.version,
          error: failure.toWire(),
          at: clock.now(),
        })
        throw failure
      }
      return cell.swap(resolved, definition)
    },

    async stop(actor, stopOptions = {}) {
      const cell = cellOf(actor)
      const result = await cell.stop(stopOptions.deadlineMs ?? config.shutdownDeadlineMs)
      cells.delete(actor)
      tree.removeActor(actor)
      return result
    },

    async shutdown(stopOptions = {}) {
      shuttingDown = true
      tree.dispose()
      const deadlineMs = stopOptions.deadlineMs ?? config.shutdownDeadlineMs
      const all = [...cells.values()]
      const results = await Promise.all(all.map((cell) => cell.stop(deadlineMs, 'shutdown')))
      for (const cell of all) {
        cells.delete(cell.name)
        tree.removeActor(cell.name)
      }
      await spares.dispose()
      return {
        drained: results.reduce((sum, r) => sum + r.drained, 0),
        undelivered: results.reduce((sum, r) => sum + r.undelivered, 0),
        timedOut: all.filter((_, i) => (results[i]?.undelivered ?? 0) > 0).map((c) => c.name),
      }
    },

    has: (actor) => cells.has(actor),
    stats: (actor) => cellOf(actor).stats(),
    listActors: () =>
      [...cells.values()].map((cell) => ({
        name: cell.name,
        kind: cell.definition.name,
        version: cell.version,
        status: cell.status,
        supervisor: cell.supervisor,
        module: cell.source.module,
      })),
    listSupervisors: () => tree.list(),
    describe(actor) {
      const cell = cellOf(actor)
      return {
        name: actor,
        kind: cell.definition.name,
        version: cell.version,
        protocol: cell.definition.protocol,
      }
    },
    deadLetters: () => ({ count: deadLetters.count, recent: deadLetters.list() }),
    subscribe: (listener) => events.subscribe(listener),
    setRemoteRouter(router) {
      delivery.remote = router
    },
  }
  return system
}
