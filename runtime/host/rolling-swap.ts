/**
 * Hot swap across a domain: replace an actor's code on every live host, one
 * host at a time, hosts that run the actor first. Each host swaps its own
 * copy with the kernel's lossless hot swap (a failing migrate rolls back
 * there) and records the new module in its deployment. The first failure
 * stops the rollout, so the remaining hosts keep the old code.
 *
 * Only modules the host registered (its {@link SwapAllowList}) are ever
 * imported; the check runs on every host, also for a peer's `host.swap`.
 */
import { importActorDefinition, resolveActorSource } from '../actor/actor-source.ts'
import { toWireError } from '../errors/base-error.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import type { Deployment } from './deployment.ts'
import { HostUnavailableError, PlacementStaleError } from './errors.ts'
import type { SwapRequest } from './host-rpc-messages.ts'
import type { HostInfo } from './membership.ts'
import type { Placement } from './place-actors.ts'
import type { SwapAllowList } from './swap-allow-list.ts'

/** The result of swapping one actor on one host. */
export type HostSwapResult = {
  hostId: string
  swapped: boolean
  fromVersion?: number | undefined
  toVersion?: number | undefined
  pauseMs?: number | undefined
  error?: { code: string; message: string } | undefined
}

const SWAP_RPC_TIMEOUT_MS = 120_000

export type RollingSwapOptions = {
  hostId: string
  deployment: Deployment
  allowList: SwapAllowList
  system: ActorSystem
  log: Log
  placement(): Placement
  alive(): readonly HostInfo[]
  connectionTo(hostId: string): RpcConnection | undefined
  /** Called after the deployment changed (the host republishes its hash). */
  onDeploymentChanged(): void
}

export class RollingSwap {
  readonly #options: RollingSwapOptions

  constructor(options: RollingSwapOptions) {
    this.#options = options
  }

  /** Swaps the actor on this host only (what `host.swap` runs). */
  async swapHere(request: SwapRequest): Promise<HostSwapResult> {
    const { hostId, deployment, system, log } = this.#options
    if (!deployment.has(request.actor)) throw new PlacementStaleError(request.actor, hostId)
    this.#options.allowList.check(request.actor, request.module)
    const code = { module: request.module, export: request.export }
    const definition = await importActorDefinition(resolveActorSource(code))
    let result: HostSwapResult = { hostId, swapped: false }
    if (system.has(request.actor)) {
      // A failing migrate rolls back inside the kernel and throws: the deployment stays on the old code.
      const swapped = await system.swap(request.actor, code)
      log('host.swapped', { actor: request.actor, ...swapped })
      result = { hostId, swapped: true, ...swapped }
    }
    deployment.replace(request.actor, code, definition)
    this.#options.onDeploymentChanged()
    return result
  }

  /** Swaps the actor on every live host, one at a time; stops at the first failure. */
  async swapEverywhere(request: SwapRequest): Promise<{ actor: string; hosts: HostSwapResult[] }> {
    const { hostId, deployment, log } = this.#options
    if (!deployment.has(request.actor)) throw new PlacementStaleError(request.actor, hostId)
    this.#options.allowList.check(request.actor, request.module)
    // Load it here first: a module that does not load stops the rollout before any host changes.
    await importActorDefinition(
      resolveActorSource({ module: request.module, export: request.export }),
    )
    const results: HostSwapResult[] = []
    for (const host of this.#order(request.actor)) {
      try {
        results.push(await this.#swapOn(host.hostId, request))
      } catch (error) {
        const wire = toWireError(error)
        results.push({
          hostId: host.hostId,
          swapped: false,
          error: { code: wire.code, message: wire.shortMessage },
        })
        // Roll out no further: the remaining hosts keep the old code.
        break
      }
    }
    log('host.swap_rollout', {
      actor: request.actor,
      hosts: results.map((r) => `${r.hostId}:${r.swapped}`),
    })
    return { actor: request.actor, hosts: results }
  }

  /**
   * Hosts that run the actor first; the others only record the new module
   * once every running copy has switched, so a failed rollout leaves no host
   * deploying the new code.
   */
  #order(actor: string): HostInfo[] {
    const running = new Set(this.#options.placement().actors[actor]?.hosts ?? [])
    const alive = this.#options.alive()
    return [
      ...alive.filter((host) => running.has(host.hostId)),
      ...alive.filter((host) => !running.has(host.hostId)),
    ]
  }

  async #swapOn(hostId: string, request: SwapRequest): Promise<HostSwapResult> {
    if (hostId === this.#options.hostId) return this.swapHere(request)
    const connection = this.#options.connectionTo(hostId)
    if (!connection) throw new HostUnavailableError(request.actor, `no connection to ${hostId}`)
    return (await connection.request('host.swap', request, {
      timeoutMs: SWAP_RPC_TIMEOUT_MS,
    })) as HostSwapResult
  }
}
