/**
 * The gateway's view of its host: the deployed protocols, the router every
 * request goes through (so a gateway reaches actors on any host), this
 * host's actor counters, readiness and the operator actions.
 */
import type { GatewayBackend } from '../gateway/gateway-backend.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { ActorRouter } from './actor-router.ts'
import type { Deployment } from './deployment.ts'
import type { DomainDeploy } from './domain-deploy.ts'
import type { DeployRequest } from './host-rpc-messages.ts'
import type { HostStatus } from './host-status.ts'
import type { Placement } from './place-actors.ts'
import type { RollingSwap } from './rolling-swap.ts'

export type HostGatewayBackendOptions = {
  hostId: string
  deployment: Deployment
  router: ActorRouter
  system: ActorSystem
  swaps: RollingSwap
  deploys: DomainDeploy
  ready(): boolean
  placement(): Placement
  status(): HostStatus
  /** Applies a signed enrollment list from the operator. */
  enrollment?: ((list: unknown) => unknown) | undefined
}

/** Builds the backend a host's gateway serves. */
export function hostGatewayBackend(options: HostGatewayBackendOptions): GatewayBackend {
  const { deployment, router, system, swaps } = options
  return {
    protocols: () => deployment.protocols(),
    ask: (actor, type, payload, askOptions) => router.ask(actor, type, payload, askOptions),
    actorCounters() {
      return Object.fromEntries(
        system.listActors().map((actor) => {
          const stats = system.stats(actor.name)
          return [
            actor.name,
            {
              received: stats.received,
              processed: stats.processed,
              failed: stats.failed,
              restarts: stats.restarts,
              mailboxDepth: stats.mailboxDepth,
            },
          ]
        }),
      )
    },
    ready: options.ready,
    admin: {
      status: options.status,
      placement: () => {
        const placement = options.placement()
        return { host: options.hostId, placement: placement.actors, load: placement.load }
      },
      swap: (request) => swaps.swapEverywhere(request),
      deploy: (request) => options.deploys.deployEverywhere(request as DeployRequest),
      enrollment: options.enrollment,
    },
  }
}
