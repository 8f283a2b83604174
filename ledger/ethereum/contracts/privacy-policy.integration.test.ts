import { describe, expect, test } from 'bun:test'
import { type Address, parseEventLogs, zeroAddress, zeroHash } from 'viem'
import { privacyPolicy } from '../../../contracts/index.ts'
import { toBytes32Name } from '../bytes32-name.ts'
import {
  expectRevert,
  randomAddress,
  type TestAccount,
  useContractTestChain,
} from '../testing/index.ts'

const world = useContractTestChain({ gasSuite: 'privacy-policy', accounts: ['owner', 'outsider'] })

const FACES = 1
const PEOPLE = 2
const PLATES = 4
const ZONES = 8

const investigator = toBytes32Name('investigator')

const as = (account: TestAccount) => world.as(account).privacyPolicy
const maySee = (policyOwner: Address, subject: Address, attribute: number) =>
  world.admin.privacyPolicy.read('maySee', [policyOwner, subject, attribute])

describe('PrivacyPolicy', () => {
  test('hides every attribute from everyone but the owner when no policy exists', async () => {
    const subject = randomAddress()
    for (const attribute of [FACES, PEOPLE, PLATES, ZONES]) {
      expect(await maySee(world.owner.address, subject, attribute)).toBe(false)
      expect(await maySee(world.owner.address, world.owner.address, attribute)).toBe(true)
    }
    expect(
      await world.admin.privacyPolicy.read('scrambledFor', [world.owner.address, subject]),
    ).toBe(15)
  })

  test('lets the owner set its policy and shows non-sensitive attributes to everyone', async () => {
    const result = await as(world.owner).write('setPolicy', [world.owner.address, FACES | PLATES])
    world.gas.record('PrivacyPolicy.setPolicy', result.gasUsed)
    const [event] = parseEventLogs({ abi: privacyPolicy.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('PolicySet')
    const subject = randomAddress()
    expect(await maySee(world.owner.address, subject, FACES)).toBe(false)
    expect(await maySee(world.owner.address, subject, PLATES)).toBe(false)
    expect(await maySee(world.owner.address, subject, PEOPLE)).toBe(true)
    expect(await world.admin.privacyPolicy.read('getPolicy', [world.owner.address])).toEqual([
      true,
      5,
      1n,
    ])
  })

  test('lets the admin set a camera policy and refuses anyone else', async () => {
    const camera = randomAddress()
    await world.admin.privacyPolicy.write('setPolicy', [camera, FACES | PEOPLE | PLATES | ZONES])
    await expectRevert(as(world.outsider).write('setPolicy', [camera, 0]), 'NotOwnerOrAdmin')
    await expectRevert(
      as(world.owner).write('setPolicy', [world.owner.address, 16]),
      'InvalidAttributes',
    )
  })

  test('shows sensitive attributes to a granted subject and to holders of a granted role', async () => {
    const subject = randomAddress()
    const result = await as(world.owner).write('setSubjectAccess', [
      world.owner.address,
      subject,
      FACES,
    ])
    world.gas.record('PrivacyPolicy.setSubjectAccess', result.gasUsed)
    expect(await maySee(world.owner.address, subject, FACES)).toBe(true)
    expect(await maySee(world.owner.address, subject, PLATES)).toBe(false)

    const officer = randomAddress()
    const roleResult = await as(world.owner).write('setRoleAccess', [
      world.owner.address,
      investigator,
      PLATES,
    ])
    world.gas.record('PrivacyPolicy.setRoleAccess', roleResult.gasUsed)
    expect(await maySee(world.owner.address, officer, PLATES)).toBe(false)
    const assign = await world.admin.privacyPolicy.write('assignRole', [officer, investigator])
    world.gas.record('PrivacyPolicy.assignRole', assign.gasUsed)
    expect(await maySee(world.owner.address, officer, PLATES)).toBe(true)
    expect(
      await world.admin.privacyPolicy.read('scrambledFor', [world.owner.address, officer]),
    ).toBe(FACES)
    await world.admin.privacyPolicy.write('unassignRole', [officer, investigator])
    expect(await maySee(world.owner.address, officer, PLATES)).toBe(false)
    await as(world.owner).write('setSubjectAccess', [world.owner.address, subject, 0])
    expect(await maySee(world.owner.address, subject, FACES)).toBe(false)
  })

  test('refuses grants without a policy, by outsiders, or with bad values', async () => {
    const noPolicy = await world.chain.newAccount()
    await expectRevert(
      as(noPolicy).write('setSubjectAccess', [noPolicy.address, randomAddress(), FACES]),
      'NoPolicy',
    )
    await expectRevert(
      as(noPolicy).write('setRoleAccess', [noPolicy.address, investigator, FACES]),
      'NoPolicy',
    )
    await expectRevert(
      as(world.outsider).write('setSubjectAccess', [
        world.owner.address,
        world.outsider.address,
        FACES,
      ]),
      'NotOwnerOrAdmin',
    )
    await expectRevert(
      as(world.owner).write('setSubjectAccess', [world.owner.address, zeroAddress, FACES]),
      'ZeroAddress',
    )
    await expectRevert(
      as(world.owner).write('setSubjectAccess', [world.owner.address, randomAddress(), 0x10]),
      'InvalidAttributes',
    )
    await expectRevert(
      as(world.owner).write('setRoleAccess', [world.owner.address, zeroHash, FACES]),
      'InvalidRole',
    )
    await expectRevert(
      as(world.owner).write('assignRole', [world.owner.address, investigator]),
      'NotAdmin',
    )
    await expectRevert(
      world.admin.privacyPolicy.write('assignRole', [world.owner.address, zeroHash]),
      'InvalidRole',
    )
  })

  test('refuses a seventeenth role per owner', async () => {
    const busy = await world.chain.newAccount()
    await as(busy).write('setPolicy', [busy.address, FACES])
    for (let i = 0; i < 16; i++) {
      await as(busy).write('setRoleAccess', [busy.address, toBytes32Name(`role-${i}`), FACES])
    }
    await expectRevert(
      as(busy).write('setRoleAccess', [busy.address, toBytes32Name('role-16'), FACES]),
      'TooManyRoles',
    )
    // Updating an already listed role still works.
    await as(busy).write('setRoleAccess', [busy.address, toBytes32Name('role-3'), PEOPLE])
  })

  test('rejects asking about zero, several or unknown attributes at once', async () => {
    for (const attribute of [0, FACES | PLATES, 16]) {
      await expectRevert(
        maySee(world.owner.address, randomAddress(), attribute),
        'InvalidAttribute',
      )
    }
  })
})
