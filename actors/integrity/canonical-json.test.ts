import { describe, expect, test } from 'bun:test'
import { canonicalJson } from './canonical-json.ts'

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
})
