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
      return JSON.stringify(value)
    case 'object':
      if (value === null) return 'null'
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
      return canonicalObject(value as Record<string, unknown>)
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`)
  }
}

function canonicalObject(object: Record<string, unknown>): string {
  const prototype = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError('JCS encodes plain objects only')
  }
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as §3.2.3 requires.
  const names = Object.keys(object).sort()
  const members: string[] = []
  for (const name of names) {
    const member = object[name]
    if (member === undefined) throw new TypeError(`JCS cannot encode undefined (member ${name})`)
    members.push(`${JSON.stringify(name)}:${canonicalJson(member)}`)
  }
  return `{${members.join(',')}}`
}
