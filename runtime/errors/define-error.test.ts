import { describe, expect, test } from 'bun:test'
import { BaseError, type ErrorCodeOf } from './base-error.ts'
import { defineError } from './define-error.ts'

class ExampleRefusedError extends defineError('EXAMPLE_REFUSED', 'application') {}

class ExampleFullError extends defineError('EXAMPLE_FULL') {
  constructor(capacity: number) {
    super(`example is full (${capacity})`, { meta: { capacity } })
  }
}

describe('defineError', () => {
  test('gives the class its code, the instance the subclass name and the default kind', () => {
    const error = new ExampleRefusedError('no, fix the input')
    expect(ExampleRefusedError.code).toBe('EXAMPLE_REFUSED')
    expect(error).toBeInstanceOf(BaseError)
    expect({ name: error.name, code: error.code, kind: error.kind }).toEqual({
      name: 'ExampleRefusedError',
      code: 'EXAMPLE_REFUSED',
      kind: 'application',
    })
    expect(error.message).toBe(
      'no, fix the input\nCode: EXAMPLE_REFUSED\nDocs: docs/errors.md#example_refused',
    )
  })

  test('lets options override the kind, and falls back to runtime without one', () => {
    expect(new ExampleRefusedError('x', { kind: 'runtime' }).kind).toBe('runtime')
    const full = new ExampleFullError(3)
    expect({ name: full.name, kind: full.kind, meta: full.meta }).toEqual({
      name: 'ExampleFullError',
      kind: 'runtime',
      meta: { capacity: 3 },
    })
  })

  test('guards each class on its own code, for live errors and their wire form', () => {
    const wire = structuredClone(new ExampleFullError(1).toWire())
    expect(ExampleFullError.is(wire)).toBe(true)
    expect(ExampleFullError.is(BaseError.fromWire(wire))).toBe(true)
    expect(ExampleRefusedError.is(wire)).toBe(false)
    expect(ExampleRefusedError.is(new ExampleFullError(1))).toBe(false)
  })

  test('keeps the code a literal type, so ErrorCodeOf unions stay exact', () => {
    const code: ErrorCodeOf<readonly [typeof ExampleRefusedError, typeof ExampleFullError]> =
      'EXAMPLE_FULL'
    // @ts-expect-error a code no class in the list declares
    const wrong: ErrorCodeOf<readonly [typeof ExampleRefusedError]> = 'EXAMPLE_FULL'
    expect([code, wrong]).toEqual(['EXAMPLE_FULL', 'EXAMPLE_FULL'])
  })
})
