import { describe, expect, test } from 'bun:test'
import { batchKey, toBytes32Hex } from './batch-key.ts'
import { domainId, fromBytes32Name, isBytes32Name, toBytes32Name } from './bytes32-name.ts'
import { EthInvalidArgumentError } from './errors.ts'

describe('toBytes32Name', () => {
  test('round-trips names of 1 to 32 UTF-8 bytes, readable as hex', () => {
    for (const name of ['a', 'zone-a', 'zône-été', 'x'.repeat(32)]) {
      const encoded = toBytes32Name(name)
      expect(encoded).toMatch(/^0x[0-9a-f]{64}$/)
      expect(fromBytes32Name(encoded)).toBe(name)
    }
    expect(toBytes32Name('ab').startsWith('0x6162')).toBe(true)
  })

  test('refuses empty names and names over 32 bytes', () => {
    expect(() => toBytes32Name('')).toThrow(EthInvalidArgumentError)
    expect(() => toBytes32Name('x'.repeat(33))).toThrow(EthInvalidArgumentError)
    expect(() => toBytes32Name('é'.repeat(17))).toThrow('must be 1 to 32 UTF-8 bytes long (has 34)')
  })

  test('isBytes32Name accepts exactly the names it encodes', () => {
    expect(['a', 'x'.repeat(32), 'é'.repeat(16)].map(isBytes32Name)).toEqual([true, true, true])
    expect(['', 'x'.repeat(33), 'é'.repeat(17)].map(isBytes32Name)).toEqual([false, false, false])
  })
})

describe('domainId', () => {
  test('is a stable hash of the chain id, different per domain', () => {
    expect(domainId('chain-a')).toBe(domainId('chain-a'))
    expect(domainId('chain-a')).not.toBe(domainId('chain-b'))
    expect(() => domainId('')).toThrow(EthInvalidArgumentError)
  })
})

describe('batchKey', () => {
  test('uses a 64-hex batch id (a tx hash) as is, lowercased, with or without 0x', () => {
    const id = 'AB'.repeat(32)
    expect(batchKey(id)).toBe(`0x${'ab'.repeat(32)}`)
    expect(batchKey(`0x${id}`)).toBe(`0x${'ab'.repeat(32)}`)
  })

  test('hashes any other batch id', () => {
    expect(batchKey('batch-1')).toMatch(/^0x[0-9a-f]{64}$/)
    expect(batchKey('batch-1')).not.toBe(batchKey('batch-2'))
  })

  test('normalises 32-byte hashes and rejects anything else', () => {
    expect(toBytes32Hex('CD'.repeat(32))).toBe(`0x${'cd'.repeat(32)}`)
    expect(toBytes32Hex('cd'.repeat(31))).toBeNull()
    expect(toBytes32Hex('zz'.repeat(32))).toBeNull()
  })
})
