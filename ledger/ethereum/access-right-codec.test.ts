import { describe, expect, test } from 'bun:test'
import { zeroHash } from 'viem'
import { decodeAccessRight, encodeAccessRight } from './access-right-codec.ts'
import { toBytes32Name } from './bytes32-name.ts'
import { EthInvalidArgumentError } from './errors.ts'

describe('encodeAccessRight', () => {
  test('writes open conditions as the contract reads them: zero window, zero zone, zero mask', () => {
    expect(encodeAccessRight({ resource: '/enf/records', action: 'read' })).toEqual({
      resource: '/enf/records',
      action: 'read',
      startSecond: 0,
      endSecond: 0,
      zoneId: zeroHash,
      nodeTypes: 0,
    })
  })

  test('encodes the zone as a bytes32 name and node types as bits of the contract enum', () => {
    const encoded = encodeAccessRight({
      resource: '/enf/records',
      action: 'write',
      timeWindow: { startSecond: 79_200, endSecond: 21_600 },
      zone: 'zone-a',
      nodeTypes: ['edge', 'user'],
    })
    expect(encoded).toEqual({
      resource: '/enf/records',
      action: 'write',
      startSecond: 79_200,
      endSecond: 21_600,
      zoneId: toBytes32Name('zone-a'),
      nodeTypes: (1 << 1) | (1 << 4),
    })
  })

  test('refuses a zone that is no bytes32 name', () => {
    expect(() => encodeAccessRight({ resource: '/r', action: 'read', zone: '' })).toThrow(
      EthInvalidArgumentError,
    )
  })
})

describe('decodeAccessRight', () => {
  test('round-trips a right with every condition, and leaves open conditions out', () => {
    const right = {
      resource: '/enf/records',
      action: 'read',
      timeWindow: { startSecond: 28_800, endSecond: 64_800 },
      zone: 'zone-b',
      nodeTypes: ['fog' as const, 'cloud' as const],
    }
    expect(decodeAccessRight(encodeAccessRight(right))).toEqual(right)
    expect(decodeAccessRight(encodeAccessRight({ resource: '/r', action: 'admin' }))).toEqual({
      resource: '/r',
      action: 'admin',
    })
  })
})
