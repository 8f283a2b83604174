/**
 * The actors of one system by name, and their lifecycle: spawning a cell
 * under its supervisor, stopping it, shutting all down. Owns the
 * supervision tree (which restarts or fails cells through it) and the warm
 * spare workers cells start in. Messages reach the cells through
 * message-delivery.ts, which reads {@link ActorRegistry.cells}.
 */
import {
  type ActorSource,
  importActorDefinition,
  resolveActorSource,
} from '../actor/actor-source.ts'
import {
  ActorAlreadyExistsError,
  ActorNotFoundError,
  ActorStartFailedError,
  ActorStoppedError,
} from '../actor/errors.ts'
import type { Clock } from '../clock/clock.ts'
import { ROOT_SUPERVISOR, SupervisionTree } from '../supervisor/supervision-tree.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import type { Outbound } from '../worker/worker-protocol.ts'
import { WorkerSpares } from '../worker/worker-spares.ts'
import { ActorCell, type StopResult } from './actor-cell.ts'
import type { ActorSnapshot } from './actor-snapshot.ts'
import type {
  ActorDescription,
  ActorInfo,
  ShutdownResult,
  SpawnOptions,
  StopOptions,
} from './actor-system.ts'
import type { DeadLetters } from './dead-letters.ts'
import type { DirectLinks } from './direct-links.ts'
import type { KernelConfig } from './kernel-config.ts'
import type { SystemEvents } from './system-events.ts'

export type ActorRegistryOptions = {
  readonly config: KernelConfig
  readonly clock: Clock
  readonly events: SystemEvents
  readonly deadLetters: DeadLetters
  /** Routes what an actor sends through its context (actor-outbox.ts). */
  readonly route: (from: ActorCell, out: Outbound, worker: ActorWorker) => void
  /** The system's snapshot hook; a cell's answers wait for it (see actor-snapshot.ts). */
  readonly persist: (snapshot: ActorSnapshot) => void | Promise<void>
  /** Whether the snapshot hook holds `actor`'s answers (then it gets no direct links). */
  readonly holdsAnswers: (actor: string) => boolean
  /** The direct links between actor workers (direct-links.ts; the outbox owns them). */
  readonly links: () => DirectLinks
}

export class ActorRegistry {
  readonly cells = new Map<string, ActorCell>()
  readonly tree: SupervisionTree
  readonly #options: ActorRegistryOptions
  readonly #spares: WorkerSpares
  #shuttingDown = false

  constructor(options: ActorRegistryOptions) {
    this.#options = options
    const { config, clock, events } = options
    this.#spares = new WorkerSpares(
      { clock, timeoutMs: config.startTimeoutMs, smol: config.workerSmol },
      config.spareWorkers,
    )
    this.tree = new SupervisionTree({
      clock,
      backoff: { minMs: config.backoffMinMs, maxMs: config.backoffMaxMs },
      root: {
        strategy: 'one_for_one',
        intensity: config.restartIntensity,
        periodMs: config.restartPeriodMs,
      },
      emit: (event) => events.emit(event),
      restartActor: (name) => void this.cells.get(name)?.restart(),
      failActor: (name) => void this.cells.get(name)?.fail(),
    })
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown
  }

  /** The cell of `actor`, or ActorNotFoundError. */
  cellOf(actor: string): ActorCell {
    const cell = this.cells.get(actor)
    if (!cell) throw new ActorNotFoundError(actor)
    return cell
  }

  /** Starts `name` in its own worker under its supervisor; resolves once its init ran. */
  async spawn(name: string, source: ActorSource, options: SpawnOptions = {}): Promise<void> {
    if (this.#shuttingDown) throw new ActorStoppedError(name, 'the system is shutting down')
    if (this.cells.has(name) || this.tree.has(name)) throw new ActorAlreadyExistsError(name)
    const resolved = resolveActorSource(source)
    const definition = await importActorDefinition(resolved)
    const restore = options.restore
    if (restore && restore.kind !== definition.name) {
      throw new ActorStartFailedError(
        name,
        `the snapshot to restore is of kind '${restore.kind}', not '${definition.name}'`,
      )
    }
    const supervisor = options.supervisor ?? ROOT_SUPERVISOR
    if (!this.tree.has(supervisor)) {
      throw new RangeError(`no supervisor named '${supervisor}'; create it with supervise()`)
    }
    const { config, clock, events, deadLetters, route, persist } = this.#options
    const cell = new ActorCell({
      name,
      supervisor,
      source: resolved,
      definition,
      args: options.args,
      capacity: options.mailbox?.capacity ?? config.mailboxCapacity,
      overflow: options.mailbox?.overflow ?? config.overflow,
      credits: options.dispatchCredits ?? config.dispatchCredits,
      snapshotEvery: options.snapshotEvery ?? (definition.snapshot ? 1 : 0),
      priority: options.priority,
      restore,
      persist,
      holdsAnswers: () => this.#options.holdsAnswers(name),
      config,
      clock,
      events,
      deadLetters,
      onCrash: (crashed) => this.tree.actorFailed(crashed.name),
      route,
      takeWorker: () => this.#spares.take(),
      links: this.#options.links(),
    })
    this.cells.set(name, cell)
    this.tree.addActor(name, supervisor)
    try {
      await cell.start()
    } catch (error) {
      this.#remove(name)
      throw error
    }
    // A later restart or worker replacement then finds the module already loaded in a spare.
    this.#spares.preload(resolved)
  }

  /** Drains and stops one actor. */
  async stop(actor: string, options: StopOptions = {}): Promise<StopResult> {
    const cell = this.cellOf(actor)
    const result = await cell.stop(options.deadlineMs ?? this.#options.config.shutdownDeadlineMs)
    this.#remove(actor)
    return result
  }

  /** Drains every mailbox within the deadline, runs terminate hooks, ends every worker. */
  async shutdown(options: StopOptions = {}): Promise<ShutdownResult> {
    this.#shuttingDown = true
    this.tree.dispose()
    const deadlineMs = options.deadlineMs ?? this.#options.config.shutdownDeadlineMs
    const all = [...this.cells.values()]
    const results = await Promise.all(all.map((cell) => cell.stop(deadlineMs, 'shutdown')))
    for (const cell of all) this.#remove(cell.name)
    await this.#spares.dispose()
    return {
      drained: results.reduce((sum, r) => sum + r.drained, 0),
      undelivered: results.reduce((sum, r) => sum + r.undelivered, 0),
      timedOut: all.filter((_, i) => (results[i]?.undelivered ?? 0) > 0).map((c) => c.name),
    }
  }

  list(): ActorInfo[] {
    return [...this.cells.values()].map((cell) => ({
      name: cell.name,
      kind: cell.definition.name,
      version: cell.version,
      status: cell.status,
      supervisor: cell.supervisor,
      module: cell.source.module,
    }))
  }

  describe(actor: string): ActorDescription {
    const cell = this.cellOf(actor)
    return {
      name: actor,
      kind: cell.definition.name,
      version: cell.version,
      protocol: cell.definition.protocol,
    }
  }

  #remove(name: string): void {
    this.cells.delete(name)
    this.tree.removeActor(name)
  }
}
