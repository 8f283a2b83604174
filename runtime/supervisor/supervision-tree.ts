/**
 * The supervision tree: supervisors own children (actors or supervisors) in
 * start order and apply OTP semantics when one crashes: restart per strategy
 * (`one_for_one`, `one_for_all`, `rest_for_one`) after a backoff, within a
 * restart intensity (max restarts per period). Exceeding it escalates: the
 * parent supervisor treats the whole subtree as one failed child. The root
 * gives up instead, and its actors are stopped. Every decision is emitted
 * as a SystemEvent; timers run on the injected clock.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'
import type { SupervisionStrategy } from '../kernel/kernel-config.ts'
import type { SystemEvent } from '../kernel/system-events.ts'
import { restartBackoffMs } from './restart-backoff.ts'
import { RestartIntensity } from './restart-intensity.ts'
import { childrenToRestart } from './restart-strategy.ts'

/** How a supervisor treats its children. */
export type SupervisorOptions = {
  strategy?: SupervisionStrategy | undefined
  /** Restarts allowed within `periodMs`; default kernel.restartIntensity. */
  intensity?: number | undefined
  /** Default kernel.restartPeriodMs. */
  periodMs?: number | undefined
  /** Parent supervisor's name; default `root`. */
  parent?: string | undefined
  /**
   * Restart backoff of this supervisor's children (see restart-backoff.ts);
   * default kernel.backoffMinMs / backoffMaxMs. `minMs: 0` restarts at once
   * every time, for children whose crashes are independent (OTP has no backoff).
   */
  backoff?: { minMs?: number | undefined; maxMs?: number | undefined } | undefined
}

/** Plain-data view of a supervisor. */
export type SupervisorInfo = {
  readonly name: string
  readonly strategy: SupervisionStrategy
  readonly parent: string | undefined
  readonly children: readonly string[]
  readonly status: 'running' | 'failed'
}

type SupervisorNode = {
  readonly name: string
  readonly strategy: SupervisionStrategy
  readonly limit: RestartIntensity
  readonly parent: SupervisorNode | undefined
  readonly children: string[]
  readonly backoff: { minMs: number; maxMs: number } | undefined
  status: 'running' | 'failed'
}

export type SupervisionTreeOptions = {
  clock: Clock
  backoff: { minMs: number; maxMs: number }
  root: { strategy: SupervisionStrategy; intensity: number; periodMs: number }
  emit: (event: SystemEvent) => void
  restartActor: (name: string) => void
  failActor: (name: string) => void
}

/** The name of the supervisor every actor and supervisor hangs under by default. */
export const ROOT_SUPERVISOR = 'root'

export class SupervisionTree {
  readonly #options: SupervisionTreeOptions
  readonly #supervisors = new Map<string, SupervisorNode>()
  /** Child name → its supervisor. */
  readonly #parentOf = new Map<string, SupervisorNode>()
  /** Restarts waiting for their backoff. */
  readonly #timers = new Set<TimerHandle>()

  constructor(options: SupervisionTreeOptions) {
    this.#options = options
    this.#supervisors.set(ROOT_SUPERVISOR, {
      name: ROOT_SUPERVISOR,
      strategy: options.root.strategy,
      limit: new RestartIntensity({
        intensity: options.root.intensity,
        periodMs: options.root.periodMs,
      }),
      parent: undefined,
      children: [],
      backoff: undefined,
      status: 'running',
    })
  }

  has(name: string): boolean {
    return this.#supervisors.has(name)
  }

  /** Adds a supervisor under `options.parent` (default root). */
  addSupervisor(
    name: string,
    options: SupervisorOptions,
    defaults: { intensity: number; periodMs: number },
  ): void {
    if (this.#supervisors.has(name) || this.#parentOf.has(name)) {
      throw new RangeError(`a supervisor or actor named '${name}' already exists`)
    }
    const parent = this.#node(options.parent ?? ROOT_SUPERVISOR)
    const node: SupervisorNode = {
      name,
      strategy: options.strategy ?? 'one_for_one',
      limit: new RestartIntensity({
        intensity: options.intensity ?? defaults.intensity,
        periodMs: options.periodMs ?? defaults.periodMs,
      }),
      parent,
      children: [],
      backoff: options.backoff && {
        minMs: options.backoff.minMs ?? this.#options.backoff.minMs,
        maxMs: options.backoff.maxMs ?? this.#options.backoff.maxMs,
      },
      status: 'running',
    }
    this.#supervisors.set(name, node)
    parent.children.push(name)
    this.#parentOf.set(name, parent)
  }

  /** Registers an actor as the last-started child of `supervisor`. */
  addActor(actor: string, supervisor: string): void {
    const node = this.#node(supervisor)
    node.children.push(actor)
    this.#parentOf.set(actor, node)
  }

  /** Forgets a stopped actor. */
  removeActor(actor: string): void {
    const node = this.#parentOf.get(actor)
    if (!node) return
    const index = node.children.indexOf(actor)
    if (index >= 0) node.children.splice(index, 1)
    this.#parentOf.delete(actor)
  }

  list(): SupervisorInfo[] {
    return [...this.#supervisors.values()].map((node) => ({
      name: node.name,
      strategy: node.strategy,
      parent: node.parent?.name,
      children: [...node.children],
      status: node.status,
    }))
  }

  /** Cancels restarts still waiting for their backoff (shutdown). */
  dispose(): void {
    for (const timer of this.#timers) this.#options.clock.clearTimeout(timer)
    this.#timers.clear()
  }

  /** An actor crashed: restart per its supervisor's strategy, or escalate. */
  actorFailed(actor: string): void {
    const node = this.#parentOf.get(actor)
    if (node) this.#childFailed(node, actor)
  }

  #node(name: string): SupervisorNode {
    const node = this.#supervisors.get(name)
    if (!node) throw new RangeError(`no supervisor named '${name}'; create it with supervise()`)
    return node
  }

  #childFailed(node: SupervisorNode, child: string): void {
    if (node.status !== 'running') return
    const now = this.#options.clock.now()
    const recent = node.limit.recent(now)
    if (!node.limit.tryRecord(now)) {
      this.#escalate(node, child)
      return
    }
    const delayMs = restartBackoffMs(recent, node.backoff ?? this.#options.backoff)
    const targets = childrenToRestart(node.strategy, node.children, child)
    this.#options.emit({
      type: 'supervisor.restarting',
      supervisor: node.name,
      child,
      targets,
      delayMs,
      at: now,
    })
    const restart = () => {
      for (const target of targets) this.#restartChild(target)
    }
    if (delayMs === 0) {
      restart()
      return
    }
    const timer = this.#options.clock.setTimeout(() => {
      this.#timers.delete(timer)
      restart()
    }, delayMs)
    this.#timers.add(timer)
  }

  #restartChild(name: string): void {
    const supervisor = this.#supervisors.get(name)
    if (!supervisor) {
      this.#options.restartActor(name)
      return
    }
    supervisor.status = 'running'
    supervisor.limit.reset()
    for (const child of supervisor.children) this.#restartChild(child)
  }

  #escalate(node: SupervisorNode, child: string): void {
    const at = this.#options.clock.now()
    if (node.parent) {
      this.#options.emit({
        type: 'supervisor.escalated',
        supervisor: node.name,
        to: node.parent.name,
        child,
        at,
      })
      this.#childFailed(node.parent, node.name)
      return
    }
    node.status = 'failed'
    const stopped = this.#actorsUnder(node)
    for (const actor of stopped) this.#options.failActor(actor)
    this.#options.emit({ type: 'supervisor.gave_up', supervisor: node.name, child, stopped, at })
  }

  #actorsUnder(node: SupervisorNode): string[] {
    return node.children.flatMap((child) => {
      const sub = this.#supervisors.get(child)
      return sub ? this.#actorsUnder(sub) : [child]
    })
  }
}
