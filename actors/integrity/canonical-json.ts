/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte encoding of a
 * record that every host and version hashes the same way. Object members are
 * sorted by the UTF-16 code units of their names (§3.2.3), strings and
 * numbers are serialized as ECMAScript's JSON.stringify does (§3.2.2.2,
 * §3.2.2.3: shortest round-trip doubles, `-0` as `0`), no whitespace.
 * Values JSON cannot carry (NaN, ±Infinity, undefined, functions, bigint,
 * non-plain objects) are refused rather than silently dropped.
 */

/** The RFC 8785 canonical JSON text of `value`; throws TypeError on values JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode the number ${value}`)
      // Number::toString is the serialization JSON.stringify uses for finite numbers (-0 → "0").
      return `${value}`
    case 'object':
      if (value === null) return 'null'
      if (Array.isArray(value)) return canonicalArray(value)
      return canonicalObject(value as Record<string, unknown>)
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`)
  }
}

function canonicalArray(array: readonly unknown[]): string {
  let text = '['
  for (let i = 0; i < array.length; i++) {
    if (i > 0) text += ','
    text += canonicalJson(array[i])
  }
  return `${text}]`
}

/** Quoted member names, cached: records repeat the same few column names. */
const quotedNames = new Map<string, string>()
const MAX_CACHED_NAMES = 4096

function quotedName(name: string): string {
  let quoted = quotedNames.get(name)
  if (quoted === undefined) {
    quoted = JSON.stringify(name)
    if (quotedNames.size < MAX_CACHED_NAMES) quotedNames.set(name, quoted)
  }
  return quoted
}

function canonicalObject(object: Record<string, unknown>): string {
  const prototype = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError('JCS encodes plain objects only')
  }
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as §3.2.3 requires.
  const names = Object.keys(object).sort()
  let text = '{'
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const member = object[name]
    if (member === undefined) throw new TypeError(`JCS cannot encode undefined (member ${name})`)
    if (i > 0) text += ','
    text += `${quotedName(name)}:${canonicalJson(member)}`
  }
  return `${text}}`
}
