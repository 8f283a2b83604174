import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { canonicalJson, canonicalJsonReference } from './canonical-json.ts'

describe('canonicalJson', () => {
  test('sorts members by UTF-16 code units and drops whitespace (RFC 8785 §3.2.3 example)', () => {
    // The sorting example of RFC 8785 §3.2.3.
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    // (JSON.parse would reorder the integer-like name "1"; read the order from the text.)
    const values = [...canonicalJson(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1])
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ])
  })

  test('serializes numbers as ECMAScript does, -0 as 0 (RFC 8785 appendix B)', () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 0.1 + 0.2, 333333333.3333333, -1.5e-300])).toBe(
      '[0,0,1e+21,1e-7,0.30000000000000004,333333333.3333333,-1.5e-300]',
    )
  })

  test('escapes strings minimally and keeps non-ASCII as is', () => {
    expect(canonicalJson({ b: 'é\n"\u001f', a: [true, null] })).toBe(
      '{"a":[true,null],"b":"é\\n\\"\\u001f"}',
    )
  })

  test('gives the same text whatever the member insertion order', () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(
      canonicalJson({ y: { a: 1, b: 2 }, x: 1 }),
    )
  })

  test('refuses values JSON cannot hold instead of dropping them', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError)
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError)
    expect(() => canonicalJson(new Date(0))).toThrow(TypeError)
    expect(() => canonicalJson(1n)).toThrow(TypeError)
  })

  test('writes the same bytes on its fast path as member by member, on random JSON values', () => {
    // Names that the fast path must hand to the reference path, or that could fool its cache.
    const name = fc.oneof(
      fc.string(),
      fc.constantFrom('0', '1', '10', '2', '__proto__', 'constructor', 'a\u0000b', 'a', 'b\u0000c'),
    )
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json'), { maxLength: 5 }),
        fc.dictionary(name, tie('json'), { maxKeys: 6 }),
      ),
    })).json
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(canonicalJsonReference(v))
        // Twice: the second time the shape cache answers.
        expect(canonicalJson(v)).toBe(canonicalJsonReference(v))
      }),
      { numRuns: 3_000 },
    )
  })

  test('tells apart shapes that share their first name and size, however many interleave', () => {
    const shapes = Array.from({ length: 9 }, (_, i) => ({ a: i, [`k${i}`]: i, [`z${8 - i}`]: -i }))
    const swapped = { a: 0, z8: 0, k0: 0 }
    for (let round = 0; round < 3; round++) {
      for (const shape of [...shapes, swapped]) {
        expect(canonicalJson(shape)).toBe(canonicalJsonReference(shape))
      }
    }
  })

  test('keeps names of one shape apart when a name holds U+0000', () => {
    const one = { 'a\u0000b': 1, c: 2 }
    const other = { a: 1, 'b\u0000c': 2 }
    expect(canonicalJson(one)).toBe('{"a\\u0000b":1,"c":2}')
    expect(canonicalJson(other)).toBe('{"a":1,"b\\u0000c":2}')
  })
})
