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
  type ResolvedActorSource,
  resolveActorSource,
} from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { ActorDefinition, Protocol } from '../actor/define-actor.ts'
import {
  ActorAlreadyExistsError,
  ActorNotFoundError,
  ActorStoppedError,
  AskCancelledError,
  MigrationFailedError,
} from '../actor/errors.ts'
import { validateMessage } from '../actor/validate-message.ts'
import { type Clock, systemClock } from '../clock/clock.ts'
import { roundTripMsgpack } from '../codec/message-codec.ts'
import { parseConfig } from '../config/load-config.ts'
import { toWireError, type WireError } from '../errors/base-error.ts'
import {
  type KernelConfig,
  type KernelConfigInput,
  kernelConfigSchema,
  type OverflowPolicy,
} from '../kernel/kernel-config.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import {
  ROOT_SUPERVISOR,
  SupervisionTree,
  type SupervisorInfo,
  type SupervisorOptions,
} from '../supervisor/supervision-tree.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import { type Outbound, OutboundKind } from '../worker/worker-protocol.ts'
import { WorkerSpares } from '../worker/worker-spares.ts'
import {
  ActorCell,
  type ActorStats,
  type ActorStatus,
  type StopResult,
  type SwapResult,
} from './actor-cell.ts'
import { AskDeadlines } from './ask-deadlines.ts'
import { type DeadLetter, type DeadLetterReason, DeadLetters } from './dead-letters.ts'
import { PendingAsk } from './pending-ask.ts'
import { type SystemEvent, type SystemEventListener, SystemEvents } from './system-events.ts'

/** Where names that are not spawned on this system go (the multi-host layer). */
export type RemoteRouter = {
  /** True when `actor` lives elsewhere and this router can reach it. */
  has(actor: string): boolean
  ask(actor: string, type: string, payload: unknown, options: AskOptions): Promise<unknown>
  tell(actor: string, type: string, payload: unknown, options: TellOptions): void
}

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

export type AskOptions = {
  /** Default kernel.askTimeoutMs. */
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /** Sender's name, for dead letters and tracing. */
  from?: string | undefined
  /** On whose behalf the message is sent; the handler reads it as `context.caller`. */
  caller?: Caller | undefined
}

export type TellOptions = {
  /** Sender's name, for dead letters and tracing. */
  from?: string | undefined
  /** On whose behalf the message is sent; the handler reads it as `context.caller`. */
  caller?: Caller | undefined
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
  let remote = options.remote
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

  function letter(to: string, type: string, from: string | undefined, reason: DeadLetterReason) {
    deadLetters.record({ to, type, from, reason, at: clock.now() })
  }

  // One principal object per sending actor, not one per message.
  const actorCallers = new Map<string, Caller | undefined>()
  function actorCallerOf(actor: string): Caller | undefined {
    if (!options.actorCaller) return undefined
    if (!actorCallers.has(actor)) actorCallers.set(actor, options.actorCaller(actor))
    return actorCallers.get(actor)
  }

  /** True while routing a batch of messages sent by an actor: cells then batch their dispatch. */
  let routing = false

  function prepare(actor: string, type: string, payload: unknown, from: string | undefined) {
    const cell = cells.get(actor)
    if (!cell) {
      letter(actor, type, from, 'actor-not-found')
      throw new ActorNotFoundError(actor)
    }
    if (shuttingDown) throw new ActorStoppedError(actor, 'the system is shutting down')
    let value = validateMessage(actor, cell.definition.protocol, type, payload)
    if (config.simulateSerialization) value = roundTripMsgpack(value, `payload of '${type}'`)
    const idempotent = cell.definition.protocol[type]?.idempotent === true
    return { cell, value, idempotent }
  }

  /** Core of ask: settles through callbacks, so internal callers need no promise per message. */
  function askWith(
    actor: string,
    type: string,
    payload: unknown,
    askOptions: AskOptions,
    onReply: (value: unknown) => void,
    onError: (error: unknown) => void,
  ): void {
    if (remote && !cells.has(actor) && remote.has(actor)) {
      const router = remote
      Promise.resolve()
        .then(() => router.ask(actor, type, payload, askOptions))
        .then(onReply, onError)
      return
    }
    let prepared: ReturnType<typeof prepare>
    try {
      prepared = prepare(actor, type, payload, askOptions.from)
      if (askOptions.signal?.aborted) {
        throw new AskCancelledError(actor, type, { cause: askOptions.signal.reason })
      }
    } catch (error) {
      onError(error)
      return
    }
    const pending = new PendingAsk({
      actor,
      type,
      now: clock.now(),
      timeoutMs: askOptions.timeoutMs ?? config.askTimeoutMs,
      deadlines,
      signal: askOptions.signal,
      onReply,
      onError,
    })
    try {
      prepared.cell.enqueue(
        {
          type,
          payload: prepared.value,
          from: askOptions.from,
          caller: askOptions.caller,
          idempotent: prepared.idempotent,
          reply: pending,
        },
        routing,
      )
    } catch (error) {
      pending.reject(error)
    }
  }

  function ask<Reply>(
    actor: string,
    type: string,
    payload: unknown,
    askOptions: AskOptions = {},
  ): Promise<Reply> {
    const { promise, resolve, reject } = Promise.withResolvers<Reply>()
    askWith(actor, type, payload, askOptions, resolve as (value: unknown) => void, reject)
    return promise
  }

  function tell(
    actor: string,
    type: string,
    payload: unknown,
    tellOptions: TellOptions = {},
  ): void {
    if (!cells.has(actor) && remote?.has(actor)) {
      remote.tell(actor, type, payload, tellOptions)
      return
    }
    const { cell, value, idempotent } = prepare(actor, type, payload, tellOptions.from)
    cell.enqueue(
      {
        type,
        payload: value,
        from: tellOptions.from,
        caller: tellOptions.caller,
        idempotent,
        reply: undefined,
      },
      routing,
    )
  }

  // Replies to actors' ctx.ask are batched per worker and turn, like user messages.
  type ContextReplies = { ids: number[]; values: unknown[]; failed: [number, WireError][] }
  const contextReplies = new Map<ActorWorker, ContextReplies>()
  let contextRepliesScheduled = false
  function replyToContext(worker: ActorWorker, id: number, ok: boolean, value: unknown): void {
    let queued = contextReplies.get(worker)
    if (!queued) {
      queued = { ids: [], values: [], failed: [] }
      contextReplies.set(worker, queued)
    }
    if (ok) {
      queued.ids.push(id)
      queued.values.push(value)
    } else {
      queued.failed.push([id, toWireError(value)])
    }
    if (contextRepliesScheduled) return
    contextRepliesScheduled = true
    queueMicrotask(() => {
      contextRepliesScheduled = false
      for (const [target, replies] of contextReplies) target.post({ t: 'ctx-replies', ...replies })
      contextReplies.clear()
    })
  }

  /** What actors send through their context, one postMessage's worth at a time. */
  function route(from: ActorCell, out: Outbound, worker: ActorWorker): void {
    routing = true
    try {
      for (let i = 0; i < out.kinds.length; i++) {
        routeOne(
          from,
          worker,
          out.kinds[i] as OutboundKind,
          out.ids[i] as number,
          out.tos[i] as string,
          out.types[i] as string,
          out.payloads[i],
          out.timeouts[i] as number,
          out.callers[i] ?? actorCallerOf(from.name),
        )
      }
    } finally {
      routing = false
    }
  }

  function routeOne(
    from: ActorCell,
    worker: ActorWorker,
    kind: OutboundKind,
    id: number,
    to: string,
    type: string,
    payload: unknown,
    timeoutMs: number,
    caller: Caller | undefined,
  ): void {
    if (kind === OutboundKind.ask) {
      askWith(
        to,
        type,
        payload,
        { from: from.name, caller, timeoutMs: timeoutMs > 0 ? timeoutMs : undefined },
        (value) => replyToContext(worker, id, true, value),
        (error) => replyToContext(worker, id, false, error),
      )
    } else if (kind === OutboundKind.tell) {
      try {
        tell(to, type, payload, { from: from.name, caller })
      } catch (error) {
        if (MailboxFullError.is(error)) letter(to, type, from.name, 'mailbox-overflow')
        else if (ActorStoppedError.is(error)) letter(to, type, from.name, 'actor-stopped')
        emit({
          type: 'actor.log',
          actor: from.name,
          event: 'tell.rejected',
          data: { to, type, error: toWireError(error) },
          at: clock.now(),
        })
      }
    } else {
      emit({
        type: 'actor.log',
        actor: from.name,
        event: type,
        data: payload as Record<string, unknown> | undefined,
        at: clock.now(),
      })
    }
  }

  function cellOf(actor: string): ActorCell {
    const cell = cells.get(actor)
    if (!cell) throw new ActorNotFoundError(actor)
    return cell
  }

  async function loadDefinition(source: ResolvedActorSource): Promise<ActorDefinition> {
    return importActorDefinition(source)
  }

  const system: ActorSystem = {
    config,
    clock,

    async spawn(name, source, spawnOptions = {}) {
      if (shuttingDown) throw new ActorStoppedError(name, 'the system is shutting down')
      if (cells.has(name) || tree.has(name)) throw new ActorAlreadyExistsError(name)
      const resolved = resolveActorSource(source)
      const definition = await loadDefinition(resolved)
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
        route,
        takeWorker: () => spares.take(),
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
        definition = await loadDefinition(resolved)
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
      remote = router
    },
  }
  return system
}
