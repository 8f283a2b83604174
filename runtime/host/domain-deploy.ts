/**
 * Adding actors to a running domain: an operator's deploy (the admin route,
 * behind the admin token) is checked and loaded on the host that received
 * it, then sent to every live host (`host.deploy`), which checks it again
 * against its own allow-list, adds the actors to its deployment and lets its
 * placement reconciler start whichever the placement gives it. Every host
 * computes the same placement, so each actor starts on exactly the hosts its
 * rule picks. Modules are named by key and resolved from each host's
 * `deployable` map ({@link DeployAllowList}); nothing else is ever imported.
 * Deploying the same actors again changes nothing; an actor name already
 * deployed with another spec is refused on every host before any change.
 * The first host that fails stops the rollout (the hosts before it keep the
 * new actors; deploying again completes it).
 *
 * A host that joins later deploys only its config's actors: list the added
 * actors in its config too, or deploy again once it has joined.
 */
import { importActorDefinition, resolveActorSource } from '../actor/actor-source.ts'
import type { ActorDefinition } from '../actor/define-actor.ts'
import { toWireError } from '../errors/base-error.ts'
import { BadRequestError } from '../gateway/errors.ts'
import type { Log } from '../log/create-logger.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import type { DeployAllowList } from './deploy-allow-list.ts'
import type { Deployment } from './deployment.ts'
import { HostUnavailableError } from './errors.ts'
import type { ActorSpec } from './host-config.ts'
import { type DeployRequest, deployRequestSchema } from './host-rpc-messages.ts'
import type { HostInfo } from './membership.ts'

/** What one host did with a deploy. */
export type HostDeployResult = {
  hostId: string
  /** Actors new to this host's deployment. */
  added: string[]
  error?: { code: string; message: string } | undefined
}

const DEPLOY_RPC_TIMEOUT_MS = 60_000

export type DomainDeployOptions = {
  hostId: string
  deployment: Deployment
  allowList: DeployAllowList
  log: Log
  alive(): readonly HostInfo[]
  connectionTo(hostId: string): RpcConnection | undefined
  /** Called after actors were added (the host republishes its hash and reconciles its placement). */
  onDeployed(): void
}

type Loaded = { spec: ActorSpec; definition: ActorDefinition }

export class DomainDeploy {
  readonly #options: DomainDeployOptions

  constructor(options: DomainDeployOptions) {
    this.#options = options
  }

  /** Adds the actors on this host only (what `host.deploy` runs). */
  async deployHere(request: DeployRequest): Promise<HostDeployResult> {
    const { hostId, deployment, log } = this.#options
    const fresh = (await this.#load(request)).filter(({ spec }) => deployment.admits(spec))
    for (const { spec, definition } of fresh) deployment.add(spec, definition)
    const added = fresh.map(({ spec }) => spec.name)
    if (added.length > 0) {
      log('host.deployed', { actors: added })
      this.#options.onDeployed()
    }
    return { hostId, added }
  }

  /** Adds the actors on every live host, this one first; stops at the first failure. */
  async deployEverywhere(
    request: DeployRequest,
  ): Promise<{ actors: string[]; hosts: HostDeployResult[] }> {
    const { hostId, log } = this.#options
    // Check and load everything here first: a refused or broken module stops the deploy before any host changes.
    for (const { spec } of await this.#load(request)) this.#options.deployment.admits(spec)
    const hosts = [...this.#options.alive()].sort((a, b) =>
      a.hostId === hostId ? -1 : b.hostId === hostId ? 1 : 0,
    )
    const results: HostDeployResult[] = []
    for (const host of hosts) {
      try {
        results.push(await this.#deployOn(host.hostId, request))
      } catch (error) {
        const wire = toWireError(error)
        results.push({
          hostId: host.hostId,
          added: [],
          error: { code: wire.code, message: wire.shortMessage },
        })
        break
      }
    }
    const actors = request.actors.map((actor) => actor.name)
    log('host.deploy_rollout', { actors, hosts: results.map((r) => `${r.hostId}:${!r.error}`) })
    return { actors, hosts: results }
  }

  /** Validates the request, resolves each module key from the allow-list and imports the definitions. */
  async #load(request: DeployRequest): Promise<Loaded[]> {
    const checked = deployRequestSchema.safeParse(request)
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
      throw new BadRequestError(
        `send {"actors": [{"name", "module": "<deployable key>", "export"?, "args"?, "placement"?}]}; ${issues.slice(0, 5).join('; ')}`,
      )
    }
    const parsed = checked.data
    const loaded: Loaded[] = []
    for (const actor of parsed.actors) {
      const module = this.#options.allowList.resolve(actor.name, actor.module)
      const spec = { ...actor, module }
      const definition = await importActorDefinition(
        resolveActorSource({ module, export: actor.export }),
      )
      loaded.push({ spec, definition })
    }
    return loaded
  }

  async #deployOn(hostId: string, request: DeployRequest): Promise<HostDeployResult> {
    if (hostId === this.#options.hostId) return this.deployHere(request)
    const connection = this.#options.connectionTo(hostId)
    if (!connection)
      throw new HostUnavailableError(request.actors[0]?.name ?? '', `no connection to ${hostId}`)
    return (await connection.request('host.deploy', request, {
      timeoutMs: DEPLOY_RPC_TIMEOUT_MS,
    })) as HostDeployResult
  }
}
