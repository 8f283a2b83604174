/**
 * Keeps the actors this host runs in line with the placement: whenever the
 * set of live hosts (or the deployment) changes, the placement is recomputed
 * from the membership view (every host computes the same one) and local
 * actors are started or stopped to match. Runs are serialised: a change
 * during a run schedules one more run, never two at once. A stateful actor
 * placed here resumes from the newest snapshot a live host holds
 * (`findSnapshot`), else from init.
 */
import { toWireError } from '../errors/base-error.ts'
import type { ActorSnapshot } from '../kernel/actor-snapshot.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { Deployment } from './deployment.ts'
import type { HostInfo } from './membership.ts'
import { type ActorPlacement, type Placement, placeActors } from './place-actors.ts'

export type PlacementReconcilerOptions = {
  hostId: string
  deployment: Deployment
  /** The live hosts, this one included. */
  alive(): readonly HostInfo[]
  system: ActorSystem
  log: Log
  /** The newest snapshot of a stateful actor any live host holds (see snapshot-store.ts). */
  findSnapshot?: ((actor: string) => Promise<ActorSnapshot | undefined>) | undefined
}

export class PlacementReconciler {
  readonly #options: PlacementReconcilerOptions
  #placement: Placement = { actors: {}, load: {} }
  /** Actor → the last host other than this one that a placement gave it. */
  readonly #previousOwner = new Map<string, string>()
  #running: Promise<void> | undefined
  #dirty = false
  #stopped = false

  constructor(options: PlacementReconcilerOptions) {
    this.#options = options
  }

  /** The placement of the last run. */
  get placement(): Placement {
    return this.#placement
  }

  /** Recomputes the placement soon (once more if a run is under way). */
  schedule(): void {
    this.#dirty = true
    this.#running ??= (async () => {
      while (this.#dirty && !this.#stopped) {
        this.#dirty = false
        await this.#reconcile()
      }
      this.#running = undefined
    })()
  }

  /** Stops scheduling and waits for a run under way. */
  async stop(): Promise<void> {
    this.#stopped = true
    await this.#running
  }

  /**
   * Where the actor's snapshots should go: the host the placement would give
   * it if this one died, then every other live peer; empty when alone.
   */
  successors(actor: string): string[] {
    const { hostId } = this.#options
    const others = this.#options.alive().filter((host) => host.hostId !== hostId)
    const heir = placeActors(this.#actors(), others).actors[actor]?.hosts ?? []
    return [...heir, ...others.map((host) => host.hostId).filter((id) => !heir.includes(id))]
  }

  /**
   * Who owns `actor` now as this host sees it: the primary of the last
   * placement applied and of the placement its live view gives (they differ
   * while a run catches up with a membership change).
   */
  ownersNow(actor: string): string[] {
    const applied = this.#placement.actors[actor]?.hosts[0]
    const viewed = placeActors(this.#actors(), this.#options.alive()).actors[actor]?.hosts[0]
    return [...new Set([applied, viewed])].filter((host) => host !== undefined)
  }

  /**
   * Whose snapshots of `actor` this host may resume from: its own, and the
   * previous owner's — the last other host a placement here gave it, or,
   * when there was none (this host just joined), the host the placement
   * gives it without this one.
   */
  restoreSigners(actor: string): string[] {
    const { hostId } = this.#options
    const others = this.#options.alive().filter((host) => host.hostId !== hostId)
    const previous =
      this.#previousOwner.get(actor) ?? placeActors(this.#actors(), others).actors[actor]?.hosts[0]
    return previous === undefined || previous === hostId ? [hostId] : [hostId, previous]
  }

  #actors() {
    const { deployment } = this.#options
    return deployment.specs().map((spec) => ({
      name: spec.name,
      placement: spec.placement,
      stateless: deployment.isStateless(spec.name),
    }))
  }

  async #reconcile(): Promise<void> {
    const { log } = this.#options
    const next = placeActors(this.#actors(), this.#options.alive())
    if (JSON.stringify(next.actors) !== JSON.stringify(this.#placement.actors)) {
      log(
        'host.placement',
        Object.fromEntries(
          Object.values(next.actors).map((p) => [p.actor, p.hosts.join(',') || '-']),
        ),
      )
    }
    this.#placement = next
    for (const placed of Object.values(next.actors)) {
      const owner = placed.hosts[0]
      if (owner !== undefined && owner !== this.#options.hostId) {
        this.#previousOwner.set(placed.actor, owner)
      }
    }
    for (const actor of Object.values(next.actors)) {
      if (this.#stopped) return
      await this.#apply(actor)
    }
  }

  /** Starts the actor here if the placement gives it to this host, stops it if it moved away. */
  async #apply(placed: ActorPlacement): Promise<void> {
    const { system, log, hostId } = this.#options
    const spec = this.#options.deployment.spec(placed.actor)
    if (!spec) return
    const mine = placed.hosts.includes(hostId)
    if (mine && !system.has(spec.name)) {
      try {
        const restore = this.#options.deployment.isStateless(spec.name)
          ? undefined
          : await this.#options.findSnapshot?.(spec.name)
        await system.spawn(
          spec.name,
          { module: spec.module, export: spec.export },
          { args: spec.args, restore, priority: spec.priority },
        )
        log('host.actor_placed', {
          actor: spec.name,
          tier: placed.tier,
          ...(restore ? { restoredSeq: restore.seq } : {}),
        })
      } catch (error) {
        log('host.actor_start_failed', { actor: spec.name, error: toWireError(error).shortMessage })
      }
    } else if (!mine && system.has(spec.name)) {
      log('host.actor_moved_away', { actor: spec.name, to: placed.hosts.join(',') })
      await system.stop(spec.name).catch((error: unknown) =>
        log('host.actor_stop_failed', {
          actor: spec.name,
          error: toWireError(error).shortMessage,
        }),
      )
    }
  }
}
