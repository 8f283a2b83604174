/**
 * The modules a running domain may be asked to start as new actors: the
 * host config's `deployable` map, module key → file, fixed when the host
 * starts. A deploy request (the admin route `POST /v1/admin/deploy` or a
 * peer's `host.deploy`) names modules by key, and each host resolves the key
 * to its own file; a path, a URL or an unknown key is refused before any
 * code is imported.
 */
import { DeployModuleNotAllowedError } from './errors.ts'

export class DeployAllowList {
  readonly #modules: ReadonlyMap<string, string>

  constructor(modules: Readonly<Record<string, string>>) {
    this.#modules = new Map(Object.entries(modules))
  }

  /** The file of module `key`; throws DeployModuleNotAllowedError for anything else. */
  resolve(actor: string, key: string): string {
    const file = this.#modules.get(key)
    if (file === undefined)
      throw new DeployModuleNotAllowedError(actor, key, [...this.#modules.keys()])
    return file
  }
}
