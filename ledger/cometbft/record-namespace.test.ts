import { describe, expect, test } from 'bun:test'
import type { ActorContext } from '../../runtime/index.ts'
import {
  AccessNamespaceError,
  assertWritableBy,
  callerOf,
  namespaceOf,
} from './record-namespace.ts'

const ADDRESS = `0x${'12'.repeat(20)}`

describe('record namespaces', () => {
  test('gives hosts their id and users their lower-case address as namespace, others none', () => {
    expect(namespaceOf({ id: 'host:edge-1' })).toBe('edge-1')
    expect(namespaceOf({ id: ADDRESS })).toBe(ADDRESS)
    expect(namespaceOf({ id: ADDRESS.toUpperCase() })).toBeUndefined()
    expect(namespaceOf({ id: 'host:' })).toBeUndefined()
    expect(namespaceOf({ id: 'host:a/b' })).toBeUndefined()
    expect(namespaceOf({ id: 'operator' })).toBeUndefined()
  })

  test('lets a caller write only <kind>:<its namespace>/… keys', () => {
    expect(() =>
      assertWritableBy({ id: 'host:edge-1' }, ['enf:edge-1/a', 'x:edge-1/b']),
    ).not.toThrow()
    for (const key of ['enf:edge-2/a', 'enf:edge-1', 'enf:edge-1/', 'edge-1/a', 'ENF:edge-1/a']) {
      expect(() => assertWritableBy({ id: 'host:edge-1' }, [key])).toThrow(AccessNamespaceError)
    }
    expect(() => assertWritableBy(undefined, ['enf:edge-1/a'])).toThrow(AccessNamespaceError)
  })

  test('reads the caller from the handler context, ignoring malformed ones', () => {
    const context = (caller: unknown) => ({ caller }) as unknown as ActorContext
    expect(callerOf(context({ id: 'host:edge-1', claims: {} }))).toEqual({ id: 'host:edge-1' })
    expect(callerOf(context(undefined))).toBeUndefined()
    expect(callerOf(context({ id: 7 }))).toBeUndefined()
    expect(callerOf(context('host:edge-1'))).toBeUndefined()
  })
})
