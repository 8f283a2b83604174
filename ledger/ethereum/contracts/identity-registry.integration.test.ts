import { describe, expect, test } from 'bun:test'
import { keccak256, parseEventLogs, toHex, zeroAddress, zeroHash } from 'viem'
import { identityRegistry } from '../../../contracts/index.ts'
import { nodeTypeNumber } from '../access-decision.ts'
import { toBytes32Name } from '../bytes32-name.ts'
import { EthTxRevertedError } from '../errors.ts'
import {
  expectRevert,
  randomAddress,
  type TestAccount,
  useContractTestChain,
} from '../testing/index.ts'

const world = useContractTestChain({
  gasSuite: 'identity-registry',
  accounts: ['master', 'outsider'],
})

const EDGE = nodeTypeNumber('edge')
const FOG = nodeTypeNumber('fog')
const USER = nodeTypeNumber('user')

const zoneA = toBytes32Name('zone-a')
const zoneB = toBytes32Name('zone-b')

const as = (account: TestAccount) => world.as(account).identityRegistry

describe('IdentityRegistry', () => {
  test('sets the deploying account as domain admin', async () => {
    expect(await world.admin.identityRegistry.read('admin', [])).toBe(world.chain.admin.address)
  })

  test('creates a zone with a master and emits ZoneCreated', async () => {
    const result = await world.admin.identityRegistry.write('createZone', [
      zoneA,
      world.master.address,
    ])
    world.gas.record('IdentityRegistry.createZone', result.gasUsed)
    const events = parseEventLogs({ abi: identityRegistry.abi, logs: [...result.logs] })
    expect(events.map((e) => e.eventName)).toEqual(['ZoneCreated', 'MasterAdded'])
    expect(await world.admin.identityRegistry.read('isMaster', [zoneA, world.master.address])).toBe(
      true,
    )
    expect(await world.admin.identityRegistry.read('getZone', [zoneA])).toEqual([true, 1, 0, 1n])
  })

  test('refuses zone creation by a non-admin, twice, with a zero id or a zero master', async () => {
    await expectRevert(
      as(world.outsider).write('createZone', [zoneB, world.outsider.address]),
      'NotAdmin',
    )
    await expectRevert(
      world.admin.identityRegistry.write('createZone', [zoneA, world.master.address]),
      'ZoneExists',
    )
    await expectRevert(
      world.admin.identityRegistry.write('createZone', [zeroHash, world.master.address]),
      'InvalidZoneId',
    )
    await expectRevert(
      world.admin.identityRegistry.write('createZone', [zoneB, zeroAddress]),
      'ZeroAddress',
    )
  })

  test('lets a zone master register nodes of every type in its zone', async () => {
    const node = randomAddress()
    const result = await as(world.master).write('registerNode', [node, EDGE, zoneA])
    world.gas.record('IdentityRegistry.registerNode', result.gasUsed)
    const [event] = parseEventLogs({ abi: identityRegistry.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('NodeJoined')
    expect(await world.admin.identityRegistry.read('getNode', [node])).toEqual([EDGE, zoneA])
    await as(world.master).write('registerNode', [randomAddress(), USER, zoneA])
    expect((await world.admin.identityRegistry.read('getZone', [zoneA]))[2]).toBe(2)
  })

  test('refuses registration by outsiders, into unknown zones, twice, or with type None', async () => {
    const node = randomAddress()
    await expectRevert(
      as(world.outsider).write('registerNode', [node, EDGE, zoneA]),
      'NotZoneMaster',
    )
    await expectRevert(
      as(world.master).write('registerNode', [node, EDGE, toBytes32Name('nowhere')]),
      'UnknownZone',
    )
    await expectRevert(as(world.master).write('registerNode', [node, 0, zoneA]), 'InvalidNodeType')
    await expectRevert(
      as(world.master).write('registerNode', [zeroAddress, EDGE, zoneA]),
      'ZeroAddress',
    )
    await as(world.master).write('registerNode', [node, FOG, zoneA])
    await expectRevert(
      as(world.master).write('registerNode', [node, FOG, zoneA]),
      'NodeAlreadyRegistered',
    )
  })

  test('rejects an unknown node type value before sending', async () => {
    // NodeType has five members; 9 is outside the enum, so the EVM panics (0x21) in simulation.
    const error = await as(world.master)
      .write('registerNode', [randomAddress(), 9, zoneA])
      .catch((e: unknown) => e)
    expect(EthTxRevertedError.is(error)).toBe(true)
  })

  test('does not treat two unregistered addresses as the same zone', async () => {
    expect(
      await world.admin.identityRegistry.read('sameZone', [randomAddress(), randomAddress()]),
    ).toBe(false)
    const a = randomAddress()
    const b = randomAddress()
    await as(world.master).write('registerNode', [a, EDGE, zoneA])
    await as(world.master).write('registerNode', [b, FOG, zoneA])
    expect(await world.admin.identityRegistry.read('sameZone', [a, b])).toBe(true)
  })

  test('lets masters add masters, and refuses duplicates, outsiders and unknown zones', async () => {
    const second = randomAddress()
    const result = await as(world.master).write('addMaster', [zoneA, second])
    world.gas.record('IdentityRegistry.addMaster', result.gasUsed)
    expect(await world.admin.identityRegistry.read('isMaster', [zoneA, second])).toBe(true)
    await expectRevert(as(world.master).write('addMaster', [zoneA, second]), 'AlreadyMaster')
    await expectRevert(
      as(world.outsider).write('addMaster', [zoneA, world.outsider.address]),
      'NotZoneMaster',
    )
    await expectRevert(
      world.admin.identityRegistry.write('addMaster', [toBytes32Name('nowhere'), second]),
      'UnknownZone',
    )
    await expectRevert(as(world.master).write('removeMaster', [zoneA, second]), 'NotAdmin')
    await world.admin.identityRegistry.write('removeMaster', [zoneA, second])
    expect(await world.admin.identityRegistry.read('isMaster', [zoneA, second])).toBe(false)
    await expectRevert(
      world.admin.identityRegistry.write('removeMaster', [zoneA, second]),
      'NotMaster',
    )
  })

  test('moves a node when the caller masters both zones, and refuses otherwise', async () => {
    await world.admin.identityRegistry.write('createZone', [zoneB, world.outsider.address])
    const node = randomAddress()
    await as(world.master).write('registerNode', [node, EDGE, zoneA])
    // master rules zone A only; outsider rules zone B only.
    await expectRevert(as(world.master).write('moveNode', [node, zoneB]), 'NotZoneMaster')
    await expectRevert(as(world.outsider).write('moveNode', [node, zoneB]), 'NotZoneMaster')
    await expectRevert(world.admin.identityRegistry.write('moveNode', [node, zoneA]), 'SameZone')
    await expectRevert(
      world.admin.identityRegistry.write('moveNode', [node, toBytes32Name('nowhere')]),
      'UnknownZone',
    )
    await expectRevert(
      world.admin.identityRegistry.write('moveNode', [randomAddress(), zoneB]),
      'UnknownNode',
    )
    await world.admin.identityRegistry.write('addMaster', [zoneB, world.master.address])
    const result = await as(world.master).write('moveNode', [node, zoneB])
    world.gas.record('IdentityRegistry.moveNode', result.gasUsed)
    expect(await world.admin.identityRegistry.read('getNode', [node])).toEqual([EDGE, zoneB])
  })

  test('lets a node leave on its own, and refuses removal by outsiders or of unknown nodes', async () => {
    const node = await world.chain.newAccount()
    await as(world.master).write('registerNode', [node.address, USER, zoneA])
    const stranger = await world.chain.newAccount()
    await expectRevert(as(stranger).write('removeNode', [node.address]), 'NotZoneMaster')
    const result = await as(node).write('removeNode', [node.address])
    world.gas.record('IdentityRegistry.removeNode', result.gasUsed)
    expect(await world.admin.identityRegistry.read('getNode', [node.address])).toEqual([
      0,
      zeroHash,
    ])
    await expectRevert(as(world.master).write('removeNode', [node.address]), 'UnknownNode')
  })

  test('removes only empty zones, and a re-created zone does not inherit old masters', async () => {
    const zone = toBytes32Name('zone-temporary')
    await world.admin.identityRegistry.write('createZone', [zone, world.master.address])
    const node = randomAddress()
    await as(world.master).write('registerNode', [node, EDGE, zone])
    await expectRevert(world.admin.identityRegistry.write('removeZone', [zone]), 'ZoneNotEmpty')
    await expectRevert(as(world.master).write('removeZone', [zone]), 'NotAdmin')
    await as(world.master).write('removeNode', [node])
    await world.admin.identityRegistry.write('removeZone', [zone])
    expect(await world.admin.identityRegistry.read('zoneExists', [zone])).toBe(false)
    expect(await world.admin.identityRegistry.read('isMaster', [zone, world.master.address])).toBe(
      false,
    )
    await expectRevert(world.admin.identityRegistry.write('removeZone', [zone]), 'UnknownZone')
    await world.admin.identityRegistry.write('createZone', [zone, world.outsider.address])
    expect(await world.admin.identityRegistry.read('isMaster', [zone, world.master.address])).toBe(
      false,
    )
    await expectRevert(as(world.master).write('registerNode', [node, EDGE, zone]), 'NotZoneMaster')
  })

  test('binds a host key to a registered node once, and drops the binding when it leaves', async () => {
    const node = randomAddress()
    const other = randomAddress()
    const hostId = toBytes32Name('edge-7')
    const key = keccak256(toHex('host key of edge-7'))
    await as(world.master).write('registerNode', [node, EDGE, zoneA])
    await as(world.master).write('registerNode', [other, EDGE, zoneA])
    await expectRevert(
      as(world.outsider).write('bindHostKey', [node, hostId, key]),
      'NotZoneMaster',
    )
    await expectRevert(
      as(world.master).write('bindHostKey', [node, zeroHash, key]),
      'InvalidHostKey',
    )
    const result = await as(world.master).write('bindHostKey', [node, hostId, key])
    world.gas.record('IdentityRegistry.bindHostKey', result.gasUsed)
    expect(await world.admin.identityRegistry.read('getHostKey', [node])).toEqual([hostId, key])
    expect(await world.admin.identityRegistry.read('hostKeyOwner', [key])).toBe(node)
    await expectRevert(as(world.master).write('bindHostKey', [other, hostId, key]), 'HostKeyTaken')
    await as(world.master).write('removeNode', [node])
    expect(await world.admin.identityRegistry.read('hostKeyOwner', [key])).toBe(zeroAddress)
    await as(world.master).write('bindHostKey', [other, hostId, key])
    expect(await world.admin.identityRegistry.read('hostKeyOwner', [key])).toBe(other)
  })

  test('hands the admin role over, after which the old admin is refused', async () => {
    const next = await world.chain.newAccount()
    await expectRevert(
      as(world.outsider).write('transferAdmin', [world.outsider.address]),
      'NotAdmin',
    )
    await expectRevert(
      world.admin.identityRegistry.write('transferAdmin', [zeroAddress]),
      'ZeroAddress',
    )
    await world.admin.identityRegistry.write('transferAdmin', [next.address])
    expect(await world.admin.identityRegistry.read('admin', [])).toBe(next.address)
    await expectRevert(
      world.admin.identityRegistry.write('createZone', [
        toBytes32Name('late'),
        world.master.address,
      ]),
      'NotAdmin',
    )
    await as(next).write('createZone', [toBytes32Name('late'), world.master.address])
  })
})
