/**
 * The parent-side half of one actor: its bounded mailbox, credit-based
 * batched dispatch to its worker, pending replies, counters, and the control
 * operations that must not interleave with message handling (restart, hot
 * swap), which travel in the mailbox's system lane and run only when no
 * user message is in flight. The hot swap procedure itself is hot-swap.ts.
 *
 * Delivery contract: at-most-once, FIFO per sender (one FIFO mailbox per
 * actor). When a handler crashes, the message it was handling fails with
 * ACTOR_CRASHED unless its protocol entry is `idempotent` (then it is
 * redelivered to the restarted actor); messages dispatched after it were
 * never started and are put back at the head of the mailbox in order. When
 * the whole worker dies, every in-flight message fails (or is redelivered if
 * idempotent), because the kernel cannot tell which ones ran.
 *
 * Durability (actors with `snapshotEvery` > 0): the worker sends a snapshot
 * with the results of a batch, and the kernel keeps it before it answers any
 * of those callers; with the system's snapshot hook the answers also wait
 * until the hook persisted it. A restart resumes from the kernel's copy, so
 * with `snapshotEvery` 1 every answered message's effect survives a crash or
 * a killed worker. Messages answered in the batch of a thrown crash (whose
 * effect the restart rolls back) fail with ACTOR_CRASHED instead.
 */
import type { ResolvedActorSource } from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { ActorDefinition } from '../actor/define-actor.ts'
import {
  ActorCrashedError,
  ActorStartFailedError,
  ActorStoppedError,
  ShutdownTimeoutError,
  SnapshotNotPersistedError,
} from '../actor/errors.ts'
import type { Clock } from '../clock/clock.ts'
import { BaseError, toWireError, type WireError } from '../errors/base-error.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import { Mailbox } from '../mailbox/mailbox.ts'
import { LatencyHistogram, type LatencySummary } from '../metrics/latency-histogram.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import { LINK_FENCE } from '../worker/link-protocol.ts'
import type { PriorityOutcome, ThreadPriority } from '../worker/thread-priority.ts'
import type { FromWorker, Outbound, RestoreFrom, ToWorker } from '../worker/worker-protocol.ts'
import type { ActorSnapshot } from './actor-snapshot.ts'
import type { DeadLetterReason, DeadLetters } from './dead-letters.ts'
import type { DirectLinks } from './direct-links.ts'
import type { KernelConfig, OverflowPolicy } from './kernel-config.ts'
import type { SystemEvents } from './system-events.ts'

/** A caller waiting for a reply. */
export type ReplySlot = {
  done: boolean
  resolve(value: unknown): void
  reject(error: unknown): void
}

/** One user message on the parent side. */
export type Envelope = {
  readonly type: string
  readonly payload: unknown
  readonly from: string | undefined
  /** On whose behalf it was sent; opaque here, handed to the handler as `context.caller`. */
  readonly caller: Caller | undefined
  readonly idempotent: boolean
  readonly reply: ReplySlot | undefined
}

type ControlOp = { readonly run: () => Promise<void> }

export type ActorStatus =
  | 'starting'
  | 'running'
  | 'crashed'
  | 'restarting'
  | 'stopping'
  | 'stopped'
  | 'failed'

/** Counters of one actor, readable at any time. */
export type ActorStats = {
  readonly name: string
  readonly version: number
  readonly status: ActorStatus
  /** Messages accepted into the mailbox. */
  readonly received: number
  /** Messages whose handler finished (successfully or with an error reply). */
  readonly processed: number
  /** Handlers that answered an error, plus crashes. */
  readonly failed: number
  readonly restarts: number
  readonly mailboxDepth: number
  readonly mailboxCapacity: number
  readonly inFlight: number
  readonly deadLetters: number
  /** Of `processed`, the messages that came over direct links from other actors' workers. */
  readonly linked: number
  /** Handler time inside the worker, microseconds. */
  readonly latency: LatencySummary
}

export type StopResult = {
  /** Messages handled while draining. */
  readonly drained: number
  /** Messages that became dead letters because the deadline passed. */
  readonly undelivered: number
}

export type ActorCellOptions = {
  readonly name: string
  readonly supervisor: string
  readonly source: ResolvedActorSource
  readonly definition: ActorDefinition
  readonly args: unknown
  readonly capacity: number
  readonly overflow: OverflowPolicy
  readonly credits: number
  readonly snapshotEvery: number
  /** Its worker thread's priority (see thread-priority.ts); undefined leaves the thread's own. */
  readonly priority?: ThreadPriority | undefined
  /** Start from this imported snapshot instead of init. */
  readonly restore?: ActorSnapshot | undefined
  /** The system's snapshot hook (see {@link ActorSnapshot}); the answers of a batch wait for it. */
  readonly persist: (snapshot: ActorSnapshot) => void | Promise<void>
  /** Whether `persist` holds this actor's answers (a durable actor); then no direct links. */
  readonly holdsAnswers: () => boolean
  readonly config: KernelConfig
  readonly clock: Clock
  readonly events: SystemEvents
  readonly deadLetters: DeadLetters
  /** Called after a crash; the supervisor decides whether and when to call `restart()`. */
  readonly onCrash: (cell: ActorCell, error: WireError) => void
  /** A worker that answered its handshake (a warm spare when one is ready). */
  readonly takeWorker: () => Promise<ActorWorker>
  /** Routes what the actor sends through its context. */
  readonly route: (from: ActorCell, out: Outbound, worker: ActorWorker) => void
  /** Direct links between workers (told when a worker goes or closes its links). */
  readonly links: DirectLinks
}

export class ActorCell {
  readonly name: string
  readonly supervisor: string
  readonly #options: ActorCellOptions
  readonly #mailbox: Mailbox<Envelope, ControlOp>
  #source: ResolvedActorSource
  #definition: ActorDefinition
  #version: number
  #status: ActorStatus = 'starting'
  #worker: ActorWorker | undefined
  #inFlight: Envelope[] = []
  #lastSnapshot: RestoreFrom | undefined
  /** Snapshots of this actor's lineage so far (continues from an imported snapshot). */
  #snapshotSeq = 0
  /** Answers waiting for the snapshot hook, in order: later batches are answered after them. */
  #persisting: Promise<void> | undefined
  #persistingCount = 0
  #pumpScheduled = false
  #controlRunning = false
  #idleWaiters: (() => void)[] = []
  readonly #histogram = new LatencyHistogram()
  readonly #maxBatch: number
  #received = 0
  #processed = 0
  #failed = 0
  #restarts = 0
  #linked = 0

  constructor(options: ActorCellOptions) {
    this.#options = options
    this.name = options.name
    this.supervisor = options.supervisor
    this.#source = options.source
    this.#definition = options.definition
    this.#version = options.definition.version
    if (options.restore) {
      this.#lastSnapshot = {
        fromVersion: options.restore.version,
        snapshot: options.restore.state,
      }
      this.#snapshotSeq = options.restore.seq
    }
    this.#mailbox = new Mailbox({ capacity: options.capacity, overflow: options.overflow })
    // Several batches in flight at once keep the worker busy while results travel back.
    this.#maxBatch = Math.max(1, Math.ceil(options.credits / 2))
  }

  get status(): ActorStatus {
    return this.#status
  }

  get definition(): ActorDefinition {
    return this.#definition
  }

  get source(): ResolvedActorSource {
    return this.#source
  }

  get version(): number {
    return this.#version
  }

  /** Messages in flight to the worker at most (also the window of a direct link into it). */
  get credits(): number {
    return this.#options.credits
  }

  get capacity(): number {
    return this.#mailbox.capacity
  }

  /**
   * The worker a direct link may go to: running, nothing paused, overflow
   * `reject`, and not durable (with `snapshotEvery` > 0 and a snapshot hook
   * that holds its answers, a link's answers would bypass the hook).
   */
  linkableWorker(): ActorWorker | undefined {
    const worker = this.#worker
    if (this.#status !== 'running' || !worker || worker.closed) return undefined
    if (this.#controlRunning || this.#mailbox.systemDepth > 0) return undefined
    if (this.#options.snapshotEvery > 0 && this.#options.holdsAnswers()) return undefined
    return this.#options.overflow === 'reject' ? worker : undefined
  }

  /** Whether messages are accepted (queued even while the actor restarts). */
  get accepting(): boolean {
    return (
      this.#status === 'starting' ||
      this.#status === 'running' ||
      this.#status === 'crashed' ||
      this.#status === 'restarting'
    )
  }

  stats(): ActorStats {
    return {
      name: this.name,
      version: this.#version,
      status: this.#status,
      received: this.#received,
      processed: this.#processed,
      failed: this.#failed,
      restarts: this.#restarts,
      mailboxDepth: this.#mailbox.depth,
      mailboxCapacity: this.#mailbox.capacity,
      inFlight: this.#inFlight.length,
      deadLetters: this.#options.deadLetters.countFor(this.name),
      linked: this.#linked,
      latency: this.#histogram.summary(),
    }
  }

  /**
   * Starts the first worker and runs init; throws ActorStartFailedError, after
   * failing the messages that were queued while it was starting.
   */
  async start(): Promise<void> {
    let failure: ActorStartFailedError
    try {
      this.#worker = await this.#createWorker()
      const answer = await this.#worker.request(
        this.#startMessage(this.#source, this.#lastSnapshot),
      )
      if (answer.t === 'started') {
        this.notePriority(answer.priority)
        this.#version = answer.version
        this.#status = 'running'
        this.#emit({ type: 'actor.started', actor: this.name, version: this.#version })
        this.#schedulePump()
        return
      }
      const cause =
        answer.t === 'start-failed'
          ? BaseError.fromWire(answer.error)
          : new Error(`unexpected answer '${answer.t}'`)
      const reason = cause instanceof BaseError ? cause.shortMessage : cause.message
      failure = new ActorStartFailedError(this.name, reason, { cause })
    } catch (error) {
      failure = new ActorStartFailedError(this.name, 'its worker did not start or answer', {
        cause: error,
      })
    }
    this.#status = 'failed'
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
    for (const envelope of this.#mailbox.drain()) {
      if (envelope.reply) envelope.reply.reject(failure)
      else this.#deadLetter(envelope, 'actor-stopped')
    }
    throw failure
  }

  /** Queues a message; throws MailboxFullError (reject policy) or ActorStoppedError. */
  enqueue(envelope: Envelope, deferDispatch = false): void {
    if (!this.accepting) throw new ActorStoppedError(this.name, `it is ${this.#status}`)
    const result = this.#mailbox.offer(envelope)
    switch (result.status) {
      case 'queued':
        if (envelope.type !== LINK_FENCE) this.#received++
        break
      case 'rejected':
        throw new MailboxFullError(this.name, this.#mailbox.capacity)
      case 'dropped-newest':
      case 'dropped-oldest':
        if (result.status === 'dropped-oldest') this.#received++
        this.#deadLetter(result.dropped, 'mailbox-overflow')
        result.dropped.reply?.reject(new MailboxFullError(this.name, this.#mailbox.capacity))
        break
    }
    // An idle actor dispatches at once: a caller that blocks on the reply without yielding
    // (bun:test's `expect(promise).rejects` does) must not depend on a queued microtask.
    // Messages that arrive while others are in flight, or in a burst routed from a worker
    // (`deferDispatch`), are batched by the scheduled pump.
    if (!deferDispatch && this.#inFlight.length === 0 && !this.#pumpScheduled) this.#pump()
    else this.#schedulePump()
  }

  /** Restarts the actor from its last snapshot (in the same worker when it is healthy). */
  restart(): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>()
    this.runControl(async () => {
      await this.#restartNow()
      resolve()
    })
    return promise
  }

  /** The kernel's copy of the actor's state (its last snapshot), or undefined if it has none. */
  lastSnapshot(): ActorSnapshot | undefined {
    return this.#lastSnapshot === undefined ? undefined : this.#exported()
  }

  /**
   * A fresh snapshot, taken between two messages (through the control lane),
   * kept as the kernel's copy and returned.
   */
  exportSnapshot(): Promise<ActorSnapshot> {
    const done = Promise.withResolvers<ActorSnapshot>()
    this.#mailbox.pushSystem({
      run: async () => {
        try {
          const worker = this.#worker
          if (!worker || this.#status !== 'running') {
            throw new ActorStoppedError(this.name, `it is ${this.#status}`)
          }
          const answer = await worker.request({ t: 'snapshot' })
          if (answer.t !== 'snapshot') throw new Error(`unexpected answer '${answer.t}'`)
          if (answer.error) throw BaseError.fromWire(answer.error)
          this.#lastSnapshot = { fromVersion: answer.version, snapshot: answer.value }
          this.#snapshotSeq++
          done.resolve(this.#exported())
        } catch (error) {
          done.reject(error)
        }
      },
    })
    this.#schedulePump()
    return done.promise
  }

  /**
   * Fault injection: ends the worker thread at once, as if it died; the
   * crash takes the path of any worker death (in-flight messages fail, the
   * supervisor restarts the actor in a new worker). False when it has none.
   */
  killWorker(): boolean {
    const worker = this.#worker
    if (!worker || worker.closed) return false
    worker.kill()
    return true
  }

  // ---- the primitives hot-swap.ts drives ----

  /** The worker serving messages now, or undefined (starting, crashed, stopped). */
  get worker(): ActorWorker | undefined {
    return this.#worker
  }

  /** A worker attached to this cell but not serving yet (a swap's new code). */
  newWorker(): Promise<ActorWorker> {
    return this.#createWorker()
  }

  /** The `start` message for `source`, migrating from `restore` when given. */
  startMessage(source: ResolvedActorSource, restore: RestoreFrom | undefined): ToWorker {
    return this.#startMessage(source, restore)
  }

  /**
   * Runs `op` in the mailbox's system lane: once no user message is in
   * flight, with queued messages held (in order) until it settles.
   */
  runControl(op: () => Promise<void>): void {
    this.#mailbox.pushSystem({ run: op })
    this.#schedulePump()
  }

  /** Switches to new code already started in `code.worker`; returns the worker it replaced. */
  switchTo(code: {
    readonly worker: ActorWorker
    readonly source: ResolvedActorSource
    readonly definition: ActorDefinition
    readonly version: number
    readonly restore: RestoreFrom
  }): ActorWorker | undefined {
    const replaced = this.#worker
    this.#worker = code.worker
    this.#source = code.source
    this.#definition = code.definition
    this.#version = code.version
    this.#lastSnapshot = code.restore
    return replaced
  }

  /** Emits `actor.priority_refused` when its worker could not take the asked priority. */
  notePriority(outcome: PriorityOutcome | undefined): void {
    if (outcome?.applied !== false || this.#options.priority === undefined) return
    this.#emit({
      type: 'actor.priority_refused',
      actor: this.name,
      priority: this.#options.priority,
      reason: outcome.reason,
    })
  }

  /** Emits a system event about this actor, stamped with the kernel clock. */
  emit(event: DistributiveOmit<Parameters<SystemEvents['emit']>[0], 'at'>): void {
    this.#emit(event)
  }

  /**
   * Stops taking messages, lets the mailbox drain until `deadlineMs`, runs the
   * actor's terminate hook and ends its worker. Messages left at the deadline
   * fail with SHUTDOWN_TIMEOUT and become dead letters.
   */
  async stop(deadlineMs: number, reason = 'stopped'): Promise<StopResult> {
    if (this.#status === 'stopped' || this.#status === 'stopping')
      return { drained: 0, undelivered: 0 }
    const canDrain = this.#status === 'running' || this.#status === 'starting'
    this.#status = 'stopping'
    const processedBefore = this.#processed
    const startedAt = this.#options.clock.now()
    let undelivered = 0
    if (canDrain && this.#worker) {
      // Senders on direct links hand what was not started back to the kernel path, which refuses it now.
      await this.closeLinks(this.#worker, deadlineMs).catch(() => undefined)
    }
    if (canDrain && !this.#isIdle()) {
      const idle = Promise.withResolvers<boolean>()
      this.#idleWaiters.push(() => idle.resolve(true))
      const timer = this.#options.clock.setTimeout(() => idle.resolve(false), deadlineMs)
      this.#schedulePump()
      const drained = await idle.promise
      this.#options.clock.clearTimeout(timer)
      if (!drained) undelivered = this.#abandon(deadlineMs)
    } else {
      undelivered = this.#abandon(undefined)
    }
    const worker = this.#worker
    this.#worker = undefined
    if (worker && !worker.closed) {
      // The terminate hook runs only if the actor drained (a busy handler would block it) and only
      // within what is left of the deadline.
      const remainingMs = deadlineMs - (this.#options.clock.now() - startedAt)
      if (undelivered === 0 && remainingMs > 0) {
        try {
          await worker.request({ t: 'stop' }, remainingMs)
        } catch {
          // A worker that cannot run its terminate hook in time is ended anyway.
        }
      }
      await this.retire(worker, 'it stopped')
    }
    this.#status = 'stopped'
    this.#emit({ type: 'actor.stopped', actor: this.name, reason })
    return { drained: this.#processed - processedBefore, undelivered }
  }

  /** The supervisor gave up: stop at once, failing everything queued. */
  async fail(): Promise<void> {
    if (this.#status === 'stopped' || this.#status === 'failed') return
    this.#status = 'failed'
    for (const envelope of [...this.#inFlight.splice(0), ...this.#mailbox.drain()]) {
      envelope.reply?.reject(new ActorStoppedError(this.name, 'its supervisor gave up'))
      if (!envelope.reply) this.#deadLetter(envelope, 'actor-stopped')
    }
    const worker = this.#worker
    this.#worker = undefined
    await this.retire(worker, 'its supervisor gave up')
    this.#emit({ type: 'actor.stopped', actor: this.name, reason: 'supervisor gave up' })
  }

  // ---- dispatch ----

  #schedulePump(): void {
    if (this.#pumpScheduled) return
    this.#pumpScheduled = true
    queueMicrotask(() => {
      this.#pumpScheduled = false
      this.#pump()
    })
  }

  #pump(): void {
    if (this.#controlRunning) return
    if (this.#mailbox.systemDepth > 0) {
      // Control operations wait until nothing is in flight (one message at a time).
      if (this.#inFlight.length === 0) this.#runControl()
      return
    }
    const worker = this.#worker
    if ((this.#status !== 'running' && this.#status !== 'stopping') || !worker) return
    for (;;) {
      const credit = Math.min(this.#maxBatch, this.#options.credits - this.#inFlight.length)
      if (credit <= 0 || this.#mailbox.depth === 0) break
      const batch = this.#mailbox.take(credit)
      const types: string[] = []
      const payloads: unknown[] = []
      const replies: (0 | 1)[] = []
      let callers: (Caller | undefined)[] | undefined
      for (const envelope of batch) {
        if (envelope.reply?.done) {
          // The caller already gave up (timeout or cancel): do not deliver.
          this.#deadLetter(envelope, 'expired')
          continue
        }
        if (envelope.caller !== undefined) {
          // Only batches that carry a caller pay for the array.
          callers ??= new Array<Caller | undefined>(types.length)
          callers[types.length] = envelope.caller
        } else if (callers) callers[types.length] = undefined
        this.#inFlight.push(envelope)
        types.push(envelope.type)
        payloads.push(envelope.payload)
        replies.push(envelope.reply === undefined ? 0 : 1)
      }
      if (types.length > 0) {
        worker.post(
          callers
            ? { t: 'batch', types, payloads, replies, callers }
            : { t: 'batch', types, payloads, replies },
        )
      }
    }
    if (this.#isIdle()) this.#notifyIdle()
  }

  #runControl(): void {
    const op = this.#mailbox.takeSystem()
    if (!op) return
    this.#controlRunning = true
    op.run().finally(() => {
      this.#controlRunning = false
      this.#schedulePump()
    })
  }

  #isIdle(): boolean {
    return (
      this.#mailbox.depth === 0 &&
      this.#inFlight.length === 0 &&
      this.#mailbox.systemDepth === 0 &&
      !this.#controlRunning
    )
  }

  #notifyIdle(): void {
    for (const waiter of this.#idleWaiters.splice(0)) waiter()
  }

  // ---- worker messages ----

  async #createWorker(): Promise<ActorWorker> {
    const handle = await this.#options.takeWorker()
    handle.attach({
      onMessage: (message) => {
        if (message.t === 'out') {
          this.#options.route(this, message, handle)
        } else if (message.t === 'link-stats') {
          this.#onLinkStats(message)
        } else if (handle === this.#worker) {
          if (message.t === 'results') this.#onResults(message)
          else this.#onWorkerDied(message.error)
        } else if (message.t === 'fatal') {
          void handle.terminate()
        }
      },
      onExit: (error) => {
        if (handle === this.#worker) this.#onWorkerDied(error)
      },
    })
    return handle
  }

  #startMessage(source: ResolvedActorSource, restore: RestoreFrom | undefined): ToWorker {
    return {
      t: 'start',
      actor: this.name,
      source,
      args: this.#options.args,
      restore,
      snapshotEvery: this.#options.snapshotEvery,
      simulateSerialization: this.#options.config.simulateSerialization,
      priority: this.#options.priority,
    }
  }

  #onResults(message: Extract<FromWorker, { t: 'results' }>): void {
    const { values, errors, durationsUs } = message
    const settled: Envelope[] = []
    for (let i = 0; i < values.length; i++) {
      const envelope = this.#inFlight.shift()
      if (envelope?.type === LINK_FENCE) {
        this.#options.links.fenced(envelope.payload as number)
      } else {
        this.#processed++
        this.#histogram.record(durationsUs[i] ?? 0)
      }
      if (envelope) settled.push(envelope)
    }
    this.#failed += errors.length
    if (message.crash && this.#options.snapshotEvery > 0) {
      // Ran after the last snapshot: the restart rolls their effects back, so they did not happen.
      const crash = message.crash
      for (const envelope of settled) this.#failCrashed(envelope, crash)
    } else {
      const persisted = message.snapshot ? this.#keepSnapshot(message.snapshot) : undefined
      this.#answer(settled, values, errors, persisted)
    }
    if (message.crash) {
      // The worker closed its direct links; a crash on a link message leaves every dispatched one unstarted.
      if (this.#worker) this.#options.links.receiverClosed(this.#worker)
      const victim = message.crashedLink === undefined ? this.#inFlight.shift() : undefined
      this.#histogram.record(durationsUs[values.length] ?? 0)
      this.#crashed(message.crash, victim, 'thrown', message.crashedLink)
      return
    }
    this.#schedulePump()
  }

  /** Keeps the worker's snapshot as the kernel's copy and hands it to the snapshot hook. */
  #keepSnapshot(snapshot: { version: number; value: unknown }): void | Promise<void> {
    this.#lastSnapshot = { fromVersion: snapshot.version, snapshot: snapshot.value }
    this.#snapshotSeq++
    try {
      return this.#options.persist(this.#exported())
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Answers one batch's callers: at once, or once `persisted` settled (and
   * after every batch still waiting, so replies keep their order).
   */
  #answer(
    settled: Envelope[],
    values: readonly unknown[],
    errors: readonly (readonly [number, WireError])[],
    persisted: void | Promise<void>,
  ): void {
    const release = (failure: unknown) => {
      for (const [index, error] of errors) {
        const envelope = settled[index]
        if (envelope) {
          settled[index] = undefined as unknown as Envelope
          envelope.reply?.reject(BaseError.fromWire(error))
        }
      }
      for (let i = 0; i < settled.length; i++) {
        const envelope = settled[i]
        if (!envelope?.reply) continue
        if (failure === undefined) envelope.reply.resolve(values[i])
        else {
          envelope.reply.reject(
            new SnapshotNotPersistedError(this.name, envelope.type, { cause: failure }),
          )
        }
      }
    }
    if (persisted === undefined && this.#persistingCount === 0) {
      release(undefined)
      return
    }
    this.#persistingCount++
    const own = Promise.resolve(persisted)
    const before = this.#persisting ?? Promise.resolve()
    const chain = before
      .then(() => own)
      .then(
        () => release(undefined),
        (error: unknown) => release(error ?? new Error('snapshot hook failed')),
      )
      .finally(() => {
        this.#persistingCount--
        if (this.#persisting === chain) this.#persisting = undefined
      })
    this.#persisting = chain
  }

  #exported(): ActorSnapshot {
    const last = this.#lastSnapshot as RestoreFrom
    return {
      actor: this.name,
      kind: this.#definition.name,
      version: last.fromVersion,
      seq: this.#snapshotSeq,
      state: last.snapshot,
    }
  }

  /** Messages the worker handled from direct links (the kernel did not see them). */
  #onLinkStats(message: Extract<FromWorker, { t: 'link-stats' }>): void {
    this.#received += message.processed
    this.#processed += message.processed
    this.#linked += message.processed
    this.#failed += message.failed
    for (const us of message.durationsUs) this.#histogram.record(us)
  }

  /** Closes the direct links into a healthy worker before a swap, restart or stop. */
  async closeLinks(worker: ActorWorker, timeoutMs?: number): Promise<void> {
    if (worker.closed) return
    await worker.request({ t: 'close-links' }, timeoutMs)
    this.#options.links.receiverClosed(worker)
  }

  /** `worker` no longer runs this actor: its links' other ends are told, then it ends. */
  retire(worker: ActorWorker | undefined, why: string): Promise<void> {
    if (!worker) return Promise.resolve()
    this.#options.links.workerGone(worker, new ActorStoppedError(this.name, why).toWire())
    return worker.terminate()
  }

  #onWorkerDied(error: WireError): void {
    const worker = this.#worker
    this.#worker = undefined
    if (worker) this.#options.links.workerGone(worker, error)
    void worker?.terminate()
    if (this.#status === 'stopping') {
      // Nothing can drain any more; stop() finishes through its idle/deadline wait.
      this.#abandon(undefined)
      this.#notifyIdle()
      return
    }
    if (this.#status !== 'running') return
    const victims = this.#inFlight.splice(0)
    const redeliver = victims.filter((envelope) => envelope.idempotent)
    for (const envelope of victims) {
      if (!envelope.idempotent) this.#failCrashed(envelope, error)
    }
    this.#mailbox.requeue(redeliver)
    this.#markCrashed(error, victims[0]?.type, 'worker-died')
  }

  #crashed(
    error: WireError,
    victim: Envelope | undefined,
    how: 'thrown' | 'start-failed',
    linkVictimType?: string,
  ): void {
    if (this.#status === 'stopping') {
      // No restart while stopping: what is left cannot be handled any more.
      if (victim) this.#failCrashed(victim, error)
      this.#failed++
      this.#abandon(undefined)
      this.#notifyIdle()
      return
    }
    // Everything dispatched after the victim was dropped unstarted by the worker: put it back.
    const unstarted = this.#inFlight.splice(0)
    const requeue = victim?.idempotent ? [victim, ...unstarted] : unstarted
    if (victim && !victim.idempotent) this.#failCrashed(victim, error)
    this.#mailbox.requeue(requeue)
    this.#markCrashed(error, victim?.type ?? linkVictimType, how)
  }

  /** Counts the crash, says so (`actor.crashed`) and hands the cell to its supervisor. */
  #markCrashed(
    error: WireError,
    messageType: string | undefined,
    how: 'worker-died' | 'thrown' | 'start-failed',
  ): void {
    this.#failed++
    this.#status = 'crashed'
    this.#emit({ type: 'actor.crashed', actor: this.name, error, messageType, how })
    this.#options.onCrash(this, error)
  }

  #failCrashed(envelope: Envelope, error: WireError): void {
    if (envelope.reply) {
      envelope.reply.reject(
        new ActorCrashedError(this.name, envelope.type, { cause: BaseError.fromWire(error) }),
      )
    } else {
      this.#deadLetter(envelope, 'actor-crashed')
    }
  }

  async #restartNow(): Promise<void> {
    if (this.#status !== 'crashed' && this.#status !== 'running') return
    this.#status = 'restarting'
    let newWorker = false
    try {
      if (!this.#worker || this.#worker.closed) {
        void this.#worker?.terminate()
        this.#worker = undefined
        this.#worker = await this.#createWorker()
        newWorker = true
      } else {
        await this.closeLinks(this.#worker)
      }
      const restore = this.#lastSnapshot
      const answer = await this.#worker.request(this.#startMessage(this.#source, restore))
      if (answer.t !== 'started') {
        throw answer.t === 'start-failed' ? BaseError.fromWire(answer.error) : new Error(answer.t)
      }
      this.notePriority(answer.priority)
      if (this.#status !== 'restarting') return
      this.#version = answer.version
      this.#restarts++
      this.#status = 'running'
      this.#emit({
        type: 'actor.restarted',
        actor: this.name,
        version: this.#version,
        restarts: this.#restarts,
        fromSnapshot: restore !== undefined,
        newWorker,
      })
    } catch (error) {
      if (this.#status !== 'restarting') return
      this.#crashed(toWireError(error), undefined, 'start-failed')
    }
  }

  /**
   * Fails everything queued or in flight, with SHUTDOWN_TIMEOUT when a stop
   * deadline passed (`deadlineMs`) or ACTOR_STOPPED when nothing can run any
   * more (`undefined`: crashed or worker gone while stopping); returns how many.
   */
  #abandon(deadlineMs: number | undefined): number {
    const left = [...this.#inFlight.splice(0), ...this.#mailbox.drain()]
    for (const envelope of left) {
      this.#deadLetter(envelope, deadlineMs === undefined ? 'actor-stopped' : 'shutdown-timeout')
      envelope.reply?.reject(
        deadlineMs === undefined
          ? new ActorStoppedError(this.name, 'it crashed or lost its worker while stopping')
          : new ShutdownTimeoutError(this.name, deadlineMs, left.length),
      )
    }
    return left.length
  }

  #deadLetter(envelope: Envelope, reason: DeadLetterReason): void {
    this.#options.deadLetters.record({
      to: this.name,
      type: envelope.type,
      from: envelope.from,
      reason,
      at: this.#options.clock.now(),
    })
  }

  #emit(event: DistributiveOmit<Parameters<SystemEvents['emit']>[0], 'at'>): void {
    this.#options.events.emit({ ...event, at: this.#options.clock.now() } as Parameters<
      SystemEvents['emit']
    >[0])
  }
}

type DistributiveOmit<Type, Key extends PropertyKey> = Type extends unknown
  ? Omit<Type, Key>
  : never
