import { describe, expect, test } from 'bun:test'
import type { Hex } from 'viem'
import { toBytes32Name } from '../../ledger/index.ts'
import type { ChainLog } from '../chain/index.ts'
import { createIdentityMirror } from './identity-mirror.ts'

const zoneA = toBytes32Name('zone-a')
const zoneB = toBytes32Name('zone-b')
const NODE = '0x00000000000000000000000000000000000000Aa'
const PEER = '0x00000000000000000000000000000000000000bB'
const MASTER = '0x00000000000000000000000000000000000000cc'
const KEY_BASE64 = Buffer.alloc(32, 7).toString('base64')
const KEY_HEX = `0x${Buffer.alloc(32, 7).toString('hex')}` as Hex

let logIndex = 0
const event = (eventName: string, args: Record<string, unknown>): ChainLog => ({
  contract: 'IdentityRegistry',
  eventName,
  args,
  blockNumber: 1n,
  logIndex: logIndex++,
})

function mirrorWithZoneA() {
  const mirror = createIdentityMirror()
  mirror.apply(event('ZoneCreated', { zoneId: zoneA, master: MASTER }))
  mirror.apply(event('MasterAdded', { zoneId: zoneA, master: MASTER }))
  mirror.apply(event('NodeJoined', { node: NODE, zoneId: zoneA, nodeType: 2 }))
  mirror.apply(event('NodeJoined', { node: MASTER, zoneId: zoneA, nodeType: 4 }))
  mirror.advance(7n)
  return mirror
}

describe('createIdentityMirror', () => {
  test('resolves registered nodes with type, zone and mastership, in lower case', () => {
    const mirror = mirrorWithZoneA()
    expect(mirror.resolve(NODE)).toEqual({
      address: NODE.toLowerCase(),
      registered: true,
      nodeType: 'fog',
      zone: 'zone-a',
      master: false,
      block: 7,
    })
    expect(mirror.resolve(MASTER).master).toBe(true)
    expect(mirror.resolve(PEER)).toEqual({
      address: PEER.toLowerCase(),
      registered: false,
      block: 7,
    })
  })

  test('follows moves and removals, and never puts unregistered addresses in one zone', () => {
    const mirror = mirrorWithZoneA()
    mirror.apply(event('ZoneCreated', { zoneId: zoneB, master: MASTER }))
    mirror.apply(event('NodeJoined', { node: PEER, zoneId: zoneB, nodeType: 1 }))
    expect(mirror.sameZone(NODE, PEER).sameZone).toBe(false)
    mirror.apply(event('NodeMoved', { node: NODE, fromZone: zoneA, toZone: zoneB }))
    expect(mirror.sameZone(NODE, PEER)).toEqual({ sameZone: true, zone: 'zone-b', block: 7 })
    mirror.apply(event('NodeLeft', { node: NODE, zoneId: zoneB }))
    expect(mirror.resolve(NODE).registered).toBe(false)
    expect(mirror.sameZone(NODE, '0x0000000000000000000000000000000000000001').sameZone).toBe(false)
  })

  test('maps a bound host key to its node until the node leaves or binds another key', () => {
    const mirror = mirrorWithZoneA()
    expect(mirror.hostOfKey(KEY_BASE64)).toEqual({
      hostId: '',
      address: '',
      registered: false,
      block: 7,
    })
    mirror.apply(
      event('HostKeyBound', { node: NODE, hostId: toBytes32Name('edge-1'), publicKey: KEY_HEX }),
    )
    expect(mirror.hostOfKey(KEY_BASE64)).toEqual({
      hostId: 'edge-1',
      address: NODE.toLowerCase(),
      registered: true,
      nodeType: 'fog',
      zone: 'zone-a',
      block: 7,
    })
    mirror.apply(
      event('HostKeyBound', {
        node: NODE,
        hostId: toBytes32Name('edge-1'),
        publicKey: `0x${'11'.repeat(32)}`,
      }),
    )
    expect(mirror.hostOfKey(KEY_BASE64).registered).toBe(false)
    mirror.apply(event('NodeLeft', { node: NODE, zoneId: zoneA }))
    expect(mirror.hostOfKey(Buffer.alloc(32, 0x11).toString('base64')).registered).toBe(false)
  })

  test('drops masters of a removed zone', () => {
    const mirror = mirrorWithZoneA()
    mirror.apply(event('NodeLeft', { node: NODE, zoneId: zoneA }))
    mirror.apply(event('NodeLeft', { node: MASTER, zoneId: zoneA }))
    mirror.apply(event('ZoneRemoved', { zoneId: zoneA }))
    mirror.apply(event('ZoneCreated', { zoneId: zoneA, master: PEER }))
    mirror.apply(event('NodeJoined', { node: MASTER, zoneId: zoneA, nodeType: 4 }))
    expect(mirror.resolve(MASTER).master).toBe(false)
  })
})
