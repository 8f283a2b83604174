/**
 * Sets `key = value` entries inside sections of a CometBFT config.toml,
 * keeping every other line (and its comments) as generated. Values are TOML
 * literals (strings quoted by the caller via {@link tomlString}).
 */

/** section ('' = top level) → key → TOML literal. */
export type TomlPatch = Readonly<Record<string, Readonly<Record<string, string>>>>

/** Quotes a string as a TOML basic string. */
export function tomlString(value: string): string {
  return JSON.stringify(value)
}

/** Returns `text` with each patched key's value replaced; throws if a key is absent. */
export function patchToml(text: string, patch: TomlPatch): string {
  const remaining = new Set(
    Object.entries(patch).flatMap(([section, keys]) =>
      Object.keys(keys).map((key) => `${section}.${key}`),
    ),
  )
  let section = ''
  const lines = text.split('\n').map((line) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (header) {
      section = header[1] as string
      return line
    }
    const entry = /^(\s*)([A-Za-z0-9_]+)\s*=/.exec(line)
    if (!entry) return line
    const key = entry[2] as string
    const value = patch[section]?.[key]
    if (value === undefined) return line
    remaining.delete(`${section}.${key}`)
    return `${entry[1]}${key} = ${value}`
  })
  if (remaining.size > 0) throw new Error(`config keys not found: ${[...remaining].join(', ')}`)
  return lines.join('\n')
}
