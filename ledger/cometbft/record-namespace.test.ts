import { describe, expect, test } from 'bun:test'
import { AccessNamespaceError, assertWritableBy, namespaceOf } from './record-namespace.ts'

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
})
