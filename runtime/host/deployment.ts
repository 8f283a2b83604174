/**
 * What the domain deploys, as this host knows it: each actor's spec (module,
 * args, placement rule) and what its definition declares (protocol,
 * stateless). Specs change only through a hot swap. Hosts that disagree
 * compute different placements, so the deployment's short hash travels in
 * every heartbeat.
 */
import { importActorDefinition, resolveActorSource } from '../actor/actor-source.ts'
import type { ActorDefinition, Protocol } from '../actor/define-actor.ts'
import { ActorAlreadyDeployedError } from './errors.ts'
import type { ActorSpec } from './host-config.ts'

const canonicalSpec = (spec: ActorSpec) =>
  JSON.stringify([spec.module, spec.export ?? null, spec.args ?? null, spec.placement])
const sameSpec = (a: ActorSpec, b: ActorSpec) => canonicalSpec(a) === canonicalSpec(b)

export class Deployment {
  readonly #specs: Map<string, ActorSpec>
  readonly #stateless = new Map<string, boolean>()
  /** Replaced (never mutated) on change, so readers can cache by identity. */
  #protocols: Readonly<Record<string, Protocol>> = {}

  private constructor(specs: readonly ActorSpec[]) {
    this.#specs = new Map(specs.map((spec) => [spec.name, spec]))
  }

  /** Imports every actor's definition (in this thread, for its protocol) and returns the deployment. */
  static async load(specs: readonly ActorSpec[]): Promise<Deployment> {
    const deployment = new Deployment(specs)
    for (const spec of specs) {
      const definition = await importActorDefinition(
        resolveActorSource({ module: spec.module, export: spec.export }),
      )
      deployment.#define(spec.name, definition)
    }
    return deployment
  }

  has(actor: string): boolean {
    return this.#specs.has(actor)
  }

  spec(actor: string): ActorSpec | undefined {
    return this.#specs.get(actor)
  }

  specs(): ActorSpec[] {
    return [...this.#specs.values()]
  }

  protocols(): Readonly<Record<string, Protocol>> {
    return this.#protocols
  }

  isStateless(actor: string): boolean {
    return this.#stateless.get(actor) === true
  }

  isIdempotent(actor: string, type: string): boolean {
    return this.#protocols[actor]?.[type]?.idempotent === true
  }

  /** Records an actor's new code after a swap. */
  replace(
    actor: string,
    code: { module: string; export?: string | undefined },
    definition: ActorDefinition,
  ): void {
    const spec = this.#specs.get(actor)
    if (!spec) return
    this.#specs.set(actor, { ...spec, module: code.module, export: code.export })
    this.#define(actor, definition)
  }

  /** Whether `spec` may be added: true when new, false when the same spec is already deployed; throws when it differs. */
  admits(spec: ActorSpec): boolean {
    const current = this.#specs.get(spec.name)
    if (!current) return true
    if (sameSpec(current, spec)) return false
    throw new ActorAlreadyDeployedError(spec.name)
  }

  /** Adds a new actor (deploy-actors.ts checks {@link admits} first). */
  add(spec: ActorSpec, definition: ActorDefinition): void {
    this.#specs.set(spec.name, spec)
    this.#define(spec.name, definition)
  }

  /** Short hash of what is deployed. */
  hash(): string {
    const canonical = [...this.#specs.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((spec) => [spec.name, spec.module, spec.export ?? null, spec.placement])
    return new Bun.CryptoHasher('sha256')
      .update(JSON.stringify(canonical))
      .digest('hex')
      .slice(0, 16)
  }

  #define(actor: string, definition: ActorDefinition): void {
    this.#protocols = { ...this.#protocols, [actor]: definition.protocol }
    this.#stateless.set(actor, definition.stateless === true)
  }
}
