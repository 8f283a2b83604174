import { describe, expect, test } from 'bun:test'
import { BaseError, toWireError } from './base-error.ts'
import { InternalError } from './internal-error.ts'

class ExampleFullError extends BaseError {
  static override readonly code = 'EXAMPLE_FULL'
  constructor(capacity: number) {
    super(ExampleFullError.code, `example is full (${capacity})`, { meta: { capacity } })
  }
}

describe('BaseError', () => {
  test('keeps code, kind and meta through a structured clone and back', () => {
    const wire = structuredClone(new ExampleFullError(8).toWire())
    const rebuilt = BaseError.fromWire(wire)
    expect(ExampleFullError.is(wire)).toBe(true)
    expect(ExampleFullError.is(rebuilt)).toBe(true)
    expect(InternalError.is(rebuilt)).toBe(false)
    expect(rebuilt.meta).toEqual({ capacity: 8 })
    expect(rebuilt.message).toContain('Code: EXAMPLE_FULL')
  })

  test('guards on any vigil error from the base class, and rejects look-alikes', () => {
    expect(BaseError.is(new ExampleFullError(1))).toBe(true)
    expect(BaseError.is({ code: 'EXAMPLE_FULL' })).toBe(false)
    expect(BaseError.is(new Error('x'))).toBe(false)
  })

  test('turns unknown throwables into INTERNAL wire errors without their stack', () => {
    const wire = toWireError(new TypeError('boom'))
    expect(wire.code).toBe('INTERNAL')
    expect(wire.message).toBe('TypeError: boom')
  })

  test('serialises the cause chain and walks it', () => {
    const inner = new ExampleFullError(2)
    const outer = new InternalError('outer failed', { cause: inner })
    expect(outer.walk((e) => ExampleFullError.is(e))).toBe(inner)
    expect(outer.toWire().cause?.code).toBe('EXAMPLE_FULL')
    expect(outer.details).toBe('example is full (2)')
  })

  test('scrubs credentials and keys from messages', () => {
    const error = new InternalError('cannot reach http://alice:s3cret@rpc.local:8545', {
      details: 'private_key=0xdeadbeef token: abc',
    })
    expect(error.message).not.toContain('s3cret')
    expect(error.message).not.toContain('deadbeef')
    expect(error.message).not.toContain('abc')
  })
})
