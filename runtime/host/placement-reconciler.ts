/**
 * Keeps the actors this host runs in line with the placement: whenever the
 * set of live hosts (or the deployment) changes, the placement is recomputed
 * from the membership view (every host computes the same one) and local
 * actors are started or stopped to match. Runs are serialised: a change
 * during a run schedules one more run, never two at once.
 */
import { toWireError } from '../errors/base-error.ts'
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
}

export class PlacementReconciler {
  readonly #options: PlacementReconcilerOptions
  #placement: Placement = { actors: {}, load: {} }
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

  async #reconcile(): Promise<void> {
    const { deployment, log } = this.#options
    const actors = deployment.specs().map((spec) => ({
      name: spec.name,
      placement: spec.placement,
      stateless: deployment.isStateless(spec.name),
    }))
    const next = placeActors(actors, this.#options.alive())
    if (JSON.stringify(next.actors) !== JSON.stringify(this.#placement.actors)) {
      log(
        'host.placement',
        Object.fromEntries(
          Object.values(next.actors).map((p) => [p.actor, p.hosts.join(',') || '-']),
        ),
      )
    }
    this.#placement = next
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
        await system.spawn(
          spec.name,
          { module: spec.module, export: spec.export },
          { args: spec.args },
        )
        log('host.actor_placed', { actor: spec.name, tier: placed.tier })
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
