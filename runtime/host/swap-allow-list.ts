/**
 * The modules a host agrees to load in a hot swap: the modules of its
 * deployed actors and those its config lists as `swappable`, fixed when the
 * host starts. A swap request (from the admin route, `vigil actors swap` or
 * a peer's `host.swap`) naming anything else, an arbitrary path or a URL, is
 * refused before any code is imported.
 */
import { resolveActorSource } from '../actor/actor-source.ts'
import { SwapModuleNotAllowedError } from './errors.ts'

export class SwapAllowList {
  /** Normalised module URLs (file: URLs for paths). */
  readonly #modules: ReadonlySet<string>

  constructor(modules: readonly string[]) {
    this.#modules = new Set(modules.map((module) => resolveActorSource(module).module))
  }

  /** Throws SwapModuleNotAllowedError unless `module` is one of the registered modules. */
  check(actor: string, module: string): void {
    const normalised = resolveActorSource(module).module
    if (!this.#modules.has(normalised)) throw new SwapModuleNotAllowedError(actor, module)
  }
}
