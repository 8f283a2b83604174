/**
 * Loads and validates a typed configuration once, at start-up.
 *
 * Sources, later ones winning: the schema's documented defaults, a JSON or
 * TOML file, environment variables (`VIGIL_<SECTION>__<FIELD>`, e.g.
 * `VIGIL_KERNEL__MAILBOX_CAPACITY=512`; values are parsed as JSON when
 * they parse, else taken as strings), then explicit overrides (tests).
 * This module is the only reader of the environment for configuration; the
 * result is passed down explicitly. Any invalid value throws one
 * {@link ConfigError} naming every bad field and what is allowed.
 */
import type { z } from 'zod'
import { ConfigError, type ConfigProblem } from './config-error.ts'

export type LoadConfigOptions<Schema extends z.ZodType> = {
  schema: Schema
  /** Path of a `.json` or `.toml` file; optional. */
  file?: string | undefined
  /** Environment to read `VIGIL_*` variables from; pass `Bun.env` at the entry point. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Prefix of environment variables. Default `VIGIL_`. */
  envPrefix?: string | undefined
  /** Deep-merged last; for tests and command-line flags. */
  overrides?: unknown
}

export async function loadConfig<Schema extends z.ZodType>(
  options: LoadConfigOptions<Schema>,
): Promise<z.output<Schema>> {
  const sources: string[] = ['defaults']
  let raw: unknown = {}
  if (options.file) {
    raw = deepMerge(raw, await readConfigFile(options.file))
    sources.push(options.file)
  }
  if (options.env) {
    const fromEnv = envToObject(options.env, options.envPrefix ?? 'VIGIL_')
    if (Object.keys(fromEnv).length > 0) {
      raw = deepMerge(raw, fromEnv)
      sources.push('environment')
    }
  }
  if (options.overrides !== undefined) {
    raw = deepMerge(raw, options.overrides)
    sources.push('overrides')
  }
  return parseConfig(options.schema, raw, sources.join(' + '))
}

/** Validates an already-assembled object against the schema (defaults applied). */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  raw: unknown,
  source = 'value',
): z.output<Schema> {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
    message: issue.message,
  }))
  throw new ConfigError(problems, source)
}

async function readConfigFile(path: string): Promise<unknown> {
  const file = Bun.file(path)
  if (!(await file.exists())) {
    throw new ConfigError([{ path: '(file)', message: `config file not found: ${path}` }], path)
  }
  const text = await file.text()
  try {
    if (path.endsWith('.toml')) return Bun.TOML.parse(text)
    return JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ConfigError(
      [{ path: '(file)', message: `cannot parse ${path}: ${message}; use JSON or TOML` }],
      path,
    )
  }
}

function envToObject(env: Readonly<Record<string, string | undefined>>, prefix: string) {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined) continue
    const segments = name
      .slice(prefix.length)
      .split('__')
      .map((segment) =>
        segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      )
    if (segments.length < 2) continue
    let target = out
    for (const segment of segments.slice(0, -1)) {
      const next = target[segment]
      if (typeof next !== 'object' || next === null) target[segment] = {}
      target = target[segment] as Record<string, unknown>
    }
    target[segments.at(-1) as string] = parseEnvValue(value)
  }
  return out
}

function parseEnvValue(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Merges `patch` into `base` recursively; arrays and scalars are replaced. */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value)
  return out
}
