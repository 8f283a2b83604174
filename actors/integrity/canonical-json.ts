/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte encoding of a
 * record that every host and version hashes the same way. Object members are
 * sorted by the UTF-16 code units of their names (§3.2.3), strings and
 * numbers are serialized as ECMAScript's JSON.stringify does (§3.2.2.2,
 * §3.2.2.3: shortest round-trip doubles, `-0` as `0`), no whitespace.
 * Values JSON cannot carry (NaN, ±Infinity, undefined, functions, bigint,
 * non-plain objects) are refused rather than silently dropped.
 *
 * Fast path: a copy of the value whose objects hold their members in sorted
 * order, checked value by value on the way, then the engine's own
 * JSON.stringify (~4× faster than building the text in JavaScript).
 * JSON.stringify writes strings and numbers exactly as §3.2.2 asks and
 * members in property order, which for the copy is the sorted order — except
 * for array-index names ("0", "12": engines list them first, numerically)
 * and `__proto__` (which an assignment would not create), so an object with
 * such a name takes the reference path, {@link canonicalJsonReference}, the
 * text built member by member. Both give the same bytes (the tests compare
 * them on random values).
 */

/** The RFC 8785 canonical JSON text of `value`; throws TypeError on values JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  let copy: unknown
  try {
    copy = sortedCopy(value)
  } catch (error) {
    if (error !== NEEDS_REFERENCE) throw error
    return canonicalJsonReference(value)
  }
  return JSON.stringify(copy)
}

/** Thrown inside sortedCopy when a member name needs the reference path. */
const NEEDS_REFERENCE = Symbol('needs the reference path')

/** Names JSON.stringify would not write in insertion order (array indices) or a copy would lose. */
const needsReference = (name: string): boolean => {
  const first = name.charCodeAt(0)
  return (first >= 48 && first <= 57) || name === '__proto__'
}

type Shape = { readonly names: readonly string[]; readonly sorted: readonly string[] }

/** Recent shapes by first name (a few each): their names in insertion and in sorted order. */
const recentShapes = new Map<string, Shape[]>()
const SHAPES_PER_NAME = 4

function namesInOrder(object: Record<string, unknown>): readonly string[] {
  const names = Object.keys(object)
  // Records repeat a few shapes: the same names in the same order need no shape text.
  const first = names[0] ?? ''
  const recent = recentShapes.get(first)
  if (recent) for (const shape of recent) if (sameNames(shape.names, names)) return shape.sorted
  const sorted = sortedNamesOf(names)
  if (recent) {
    if (recent.length >= SHAPES_PER_NAME) recent.pop()
    recent.unshift({ names, sorted })
  } else if (recentShapes.size < MAX_CACHED_NAMES) recentShapes.set(first, [{ names, sorted }])
  return sorted
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The names sorted by UTF-16 code units; throws NEEDS_REFERENCE for names a copy cannot keep. */
function sortedNamesOf(keys: readonly string[]): readonly string[] {
  for (const name of keys) if (needsReference(name)) throw NEEDS_REFERENCE
  return [...keys].sort()
}

function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode the number ${value}`)
      return value
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) {
        const array: unknown[] = new Array(value.length)
        for (let i = 0; i < value.length; i++) array[i] = sortedCopy(value[i])
        return array
      }
      const prototype = Object.getPrototypeOf(value)
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError('JCS encodes plain objects only')
      }
      const object = value as Record<string, unknown>
      const copy: Record<string, unknown> = {}
      for (const name of namesInOrder(object)) {
        const member = object[name]
        if (member === undefined)
          throw new TypeError(`JCS cannot encode undefined (member ${name})`)
        copy[name] = sortedCopy(member)
      }
      return copy
    }
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`)
  }
}

/** canonicalJson built member by member (any names; the fast path's reference). */
export function canonicalJsonReference(value: unknown): string {
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
    text += canonicalJsonReference(array[i])
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
    text += `${quotedName(name)}:${canonicalJsonReference(member)}`
  }
  return `${text}}`
}
