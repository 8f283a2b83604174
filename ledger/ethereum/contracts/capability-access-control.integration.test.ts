import { beforeAll, describe, expect, test } from 'bun:test'
import { type Address, parseEventLogs, zeroHash } from 'viem'
import { capabilityAccessControl } from '../../../contracts/index.ts'
import { accessDecisionName, nodeTypeMask, nodeTypeNumber } from '../access-decision.ts'
import type { OnChainAccessRight } from '../access-right-codec.ts'
import { toBytes32Name } from '../bytes32-name.ts'
import {
  expectRevert,
  randomAddress,
  type TestAccount,
  useContractTestChain,
} from '../testing/index.ts'

const world = useContractTestChain({
  gasSuite: 'capability-access-control',
  accounts: ['issuer', 'outsider'],
})

const EDGE = nodeTypeNumber('edge')
const FOG = nodeTypeNumber('fog')
const DAY = 86_400n

type Right = OnChainAccessRight
const right = (overrides: Partial<Right> = {}): Right => ({
  resource: '/enf/records',
  action: 'GET',
  startSecond: 0,
  endSecond: 0,
  zoneId: zeroHash,
  nodeTypes: 0,
  ...overrides,
})

let now: bigint
const zoneA = toBytes32Name('zone-a')
const zoneB = toBytes32Name('zone-b')

const as = (account: TestAccount) => world.as(account).capabilityAccessControl
const registerNode = async (nodeType = EDGE, zone = zoneA) => {
  const node = randomAddress()
  await world.admin.identityRegistry.write('registerNode', [node, nodeType, zone])
  return node
}
const decision = async (subject: Address, resource: string, action: string, at: bigint) =>
  accessDecisionName(
    await world.admin.capabilityAccessControl.read('checkAccess', [subject, resource, action, at]),
  )

beforeAll(async () => {
  await world.admin.identityRegistry.write('createZone', [zoneA, world.chain.admin.address])
  await world.admin.identityRegistry.write('createZone', [zoneB, world.chain.admin.address])
  now = (await world.chain.admin.clients.publicClient.getBlock()).timestamp
})

describe('CapabilityAccessControl', () => {
  test('lets only the admin appoint and remove issuers', async () => {
    await expectRevert(as(world.outsider).write('addIssuer', [world.outsider.address]), 'NotAdmin')
    await world.admin.capabilityAccessControl.write('addIssuer', [world.issuer.address])
    expect(await world.admin.capabilityAccessControl.read('isIssuer', [world.issuer.address])).toBe(
      true,
    )
    await expectRevert(as(world.outsider).write('removeIssuer', [world.issuer.address]), 'NotAdmin')
  })

  test('issues a token with several rights, emits TokenIssued and stores every right', async () => {
    const subject = await registerNode()
    const rights = [
      right(),
      right({ resource: '/video/live', action: 'VIEW', zoneId: zoneA }),
      right({ resource: '/video/archive', action: 'GET', nodeTypes: nodeTypeMask(['fog']) }),
    ]
    const result = await as(world.issuer).write('issueToken', [subject, now + DAY, rights])
    world.gas.record('CapabilityAccessControl.issueToken (3 rights)', result.gasUsed)
    const [event] = parseEventLogs({ abi: capabilityAccessControl.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('TokenIssued')
    const [version, valid, issuedAt, expiresAt, stored] =
      await world.admin.capabilityAccessControl.read('getToken', [subject])
    expect({ version, valid, expiresAt }).toEqual({
      version: 1n,
      valid: true,
      expiresAt: now + DAY,
    })
    expect(issuedAt).toBeGreaterThanOrEqual(now)
    expect(stored).toEqual(rights)
  })

  test('records the gas of a one-right token', async () => {
    const subject = await registerNode()
    const result = await as(world.issuer).write('issueToken', [subject, now + DAY, [right()]])
    world.gas.record('CapabilityAccessControl.issueToken (1 right)', result.gasUsed)
    expect(result.gasUsed).toBeGreaterThan(0n)
  })

  test('refuses issuing by non-issuers, to unregistered subjects, and twice', async () => {
    const subject = await registerNode()
    await expectRevert(
      as(world.outsider).write('issueToken', [subject, now + DAY, [right()]]),
      'NotIssuer',
    )
    await expectRevert(
      as(world.issuer).write('issueToken', [randomAddress(), now + DAY, [right()]]),
      'SubjectNotRegistered',
    )
    await as(world.issuer).write('issueToken', [subject, now + DAY, [right()]])
    await expectRevert(
      as(world.issuer).write('issueToken', [subject, now + DAY, [right()]]),
      'TokenAlreadyIssued',
    )
  })

  test('refuses a past expiry, too many rights, bad rights and unknown zones', async () => {
    const subject = await registerNode()
    const issue = (rights: Right[], expiresAt = now + DAY) =>
      as(world.issuer).write('issueToken', [subject, expiresAt, rights])
    await expectRevert(issue([right()], 1n), 'InvalidExpiry')
    await expectRevert(issue(Array.from({ length: 33 }, () => right())), 'TooManyRights')
    const bad = [
      right({ resource: '' }),
      right({ action: '' }),
      right({ startSecond: 86_400 }),
      right({ nodeTypes: 1 }),
      right({ nodeTypes: 0x20 }),
    ]
    for (const candidate of bad) {
      const error = await expectRevert(issue([right(), candidate]), 'InvalidRight')
      expect(error.meta?.errorArgs).toContain('1')
    }
    await expectRevert(issue([right({ zoneId: toBytes32Name('nowhere') })]), 'UnknownZone')
  })

  test('allows a request a right covers and explains every denial', async () => {
    const subject = await registerNode(EDGE, zoneA)
    const dayStart = (now / DAY + 1n) * DAY
    await as(world.issuer).write('issueToken', [
      subject,
      now + 3n * DAY,
      [
        right({ resource: '/enf/records', action: 'GET' }),
        // 08:00–18:00 UTC only.
        right({ resource: '/video/live', action: 'VIEW', startSecond: 28_800, endSecond: 64_800 }),
        right({ resource: '/video/archive', action: 'GET', zoneId: zoneB }),
        right({ resource: '/keys', action: 'ROTATE', nodeTypes: nodeTypeMask(['cloud']) }),
        // 22:00–02:00 UTC, across midnight.
        right({ resource: '/night', action: 'GET', startSecond: 79_200, endSecond: 7_200 }),
      ],
    ])
    expect(await decision(subject, '/enf/records', 'GET', now + 10n)).toBe('Allowed')
    expect(await decision(subject, '/enf/records', 'POST', now + 10n)).toBe('NoMatchingRight')
    expect(await decision(subject, '/video/live', 'VIEW', dayStart + 36_000n)).toBe('Allowed')
    expect(await decision(subject, '/video/live', 'VIEW', dayStart + 3_600n)).toBe(
      'ConditionNotMet',
    )
    expect(await decision(subject, '/night', 'GET', dayStart + 3_600n)).toBe('Allowed')
    expect(await decision(subject, '/night', 'GET', dayStart + 36_000n)).toBe('ConditionNotMet')
    expect(await decision(subject, '/video/archive', 'GET', now + 10n)).toBe('ConditionNotMet')
    expect(await decision(subject, '/keys', 'ROTATE', now + 10n)).toBe('ConditionNotMet')
    expect(await decision(subject, '/enf/records', 'GET', now + 4n * DAY)).toBe('Expired')
    expect(await decision(subject, '/enf/records', 'GET', now - DAY)).toBe('NotYetValid')
    expect(await decision(randomAddress(), '/enf/records', 'GET', now)).toBe('NoToken')
  })

  test('evaluates zone and node type from the registry at request time', async () => {
    const subject = await registerNode(FOG, zoneA)
    await as(world.issuer).write('issueToken', [
      subject,
      now + DAY,
      [right({ resource: '/video/archive', zoneId: zoneB, nodeTypes: nodeTypeMask(['fog']) })],
    ])
    expect(await decision(subject, '/video/archive', 'GET', now + 10n)).toBe('ConditionNotMet')
    await world.admin.identityRegistry.write('moveNode', [subject, zoneB])
    expect(await decision(subject, '/video/archive', 'GET', now + 10n)).toBe('Allowed')
    await world.admin.identityRegistry.write('removeNode', [subject])
    expect(await decision(subject, '/video/archive', 'GET', now + 10n)).toBe('SubjectNotRegistered')
  })

  test('updates a token: new rights replace old ones and the version goes up', async () => {
    const subject = await registerNode()
    await as(world.issuer).write('issueToken', [subject, now + DAY, [right()]])
    const result = await as(world.issuer).write('updateToken', [
      subject,
      now + 2n * DAY,
      [right({ resource: '/video/live', action: 'VIEW' })],
    ])
    world.gas.record('CapabilityAccessControl.updateToken (1 right)', result.gasUsed)
    const [event] = parseEventLogs({ abi: capabilityAccessControl.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('TokenUpdated')
    const [version] = await world.admin.capabilityAccessControl.read('getToken', [subject])
    expect(version).toBe(2n)
    expect(await decision(subject, '/enf/records', 'GET', now + 10n)).toBe('NoMatchingRight')
    expect(await decision(subject, '/video/live', 'VIEW', now + 10n)).toBe('Allowed')
    await expectRevert(
      as(world.outsider).write('updateToken', [subject, now + DAY, []]),
      'NotIssuer',
    )
    await expectRevert(
      as(world.issuer).write('updateToken', [randomAddress(), now + DAY, [right()]]),
      'NoToken',
    )
  })

  test('revokes a token, refuses a second revoke or update, and allows re-issuing', async () => {
    const subject = await registerNode()
    await as(world.issuer).write('issueToken', [subject, now + DAY, [right()]])
    await expectRevert(as(world.outsider).write('revokeToken', [subject]), 'NotIssuer')
    const result = await as(world.issuer).write('revokeToken', [subject])
    world.gas.record('CapabilityAccessControl.revokeToken', result.gasUsed)
    const [event] = parseEventLogs({ abi: capabilityAccessControl.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('TokenRevoked')
    expect(await decision(subject, '/enf/records', 'GET', now + 10n)).toBe('Revoked')
    await expectRevert(as(world.issuer).write('revokeToken', [subject]), 'TokenAlreadyRevoked')
    await expectRevert(
      as(world.issuer).write('updateToken', [subject, now + DAY, [right()]]),
      'TokenAlreadyRevoked',
    )
    await expectRevert(as(world.issuer).write('revokeToken', [randomAddress()]), 'NoToken')
    await as(world.issuer).write('issueToken', [subject, now + DAY, [right()]])
    expect(await decision(subject, '/enf/records', 'GET', now + 10n)).toBe('Allowed')
    const [version] = await world.admin.capabilityAccessControl.read('getToken', [subject])
    expect(version).toBe(3n)
  })

  test('stops accepting tokens from a removed issuer', async () => {
    const temporary = await world.chain.newAccount()
    await world.admin.capabilityAccessControl.write('addIssuer', [temporary.address])
    await world.admin.capabilityAccessControl.write('removeIssuer', [temporary.address])
    await expectRevert(
      as(temporary).write('issueToken', [await registerNode(), now + DAY, [right()]]),
      'NotIssuer',
    )
  })
})
