/**
 * Where an actor's code lives: a module (path or file URL) and the name of
 * its `defineActor` export. Workers import the module themselves; actor code
 * is never sent as source. Used by the parent (to validate payloads against
 * the protocol) and by the generic worker entry.
 */
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ActorDefinition } from './define-actor.ts'
import { InvalidActorModuleError } from './errors.ts'

/** A module path/URL, or a module plus the export that holds the definition. */
export type ActorSource = string | { readonly module: string; readonly export?: string | undefined }

/** The normalized form sent to workers: an absolute file URL (or other URL) and maybe an export name. */
export type ResolvedActorSource = { readonly module: string; readonly export: string | undefined }

/** Normalizes a source: relative paths resolve against the working directory. */
export function resolveActorSource(source: ActorSource): ResolvedActorSource {
  const { module, export: exportName } =
    typeof source === 'string' ? { module: source, export: undefined } : source
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) {
    return { module, export: exportName }
  }
  const path = isAbsolute(module) ? module : resolve(process.cwd(), module)
  return { module: pathToFileURL(path).href, export: exportName }
}

/** True for a value shaped like a `defineActor` result. */
export function isActorDefinition(value: unknown): value is ActorDefinition {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<ActorDefinition>
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.version === 'number' &&
    typeof candidate.protocol === 'object' &&
    typeof candidate.receive === 'object' &&
    typeof candidate.init === 'function'
  )
}

/** Imports the module and returns its actor definition (the named export, or the only one). */
export async function importActorDefinition(source: ResolvedActorSource): Promise<ActorDefinition> {
  let namespace: Record<string, unknown>
  try {
    namespace = (await import(source.module)) as Record<string, unknown>
  } catch (error) {
    throw new InvalidActorModuleError(source.module, 'import failed', { cause: error })
  }
  if (source.export !== undefined) {
    const value = namespace[source.export]
    if (!isActorDefinition(value)) {
      throw new InvalidActorModuleError(
        source.module,
        `export '${source.export}' is not a defineActor({...}) result`,
      )
    }
    return value
  }
  const found = Object.entries(namespace).filter(([, value]) => isActorDefinition(value))
  if (found.length !== 1) {
    throw new InvalidActorModuleError(
      source.module,
      found.length === 0
        ? 'it exports no defineActor({...}) result'
        : `it exports several actor definitions (${found.map(([name]) => name).join(', ')}); name one with { module, export }`,
    )
  }
  return found[0]?.[1] as ActorDefinition
}
