import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type Address, parseEventLogs, zeroAddress, zeroHash } from 'viem'
import { privacyPolicy } from '../../../contracts/index.ts'
import { toBytes32Name } from '../bytes32-name.ts'
import {
  createGasTable,
  createTestChain,
  expectRevert,
  randomAddress,
  type TestAccount,
  type TestChain,
} from '../testing/index.ts'
import { createVigilContracts, type VigilContracts } from '../vigil-contracts.ts'

const FACES = 1
const PEOPLE = 2
const PLATES = 4
const ZONES = 8

let chain: TestChain
let admin: VigilContracts
let owner: TestAccount
let outsider: TestAccount
const gas = createGasTable()
const investigator = toBytes32Name('investigator')

const as = (account: TestAccount) =>
  createVigilContracts(account.clients, chain.addresses).privacyPolicy
const maySee = (policyOwner: Address, subject: Address, attribute: number) =>
  admin.privacyPolicy.read('maySee', [policyOwner, subject, attribute])

beforeAll(async () => {
  chain = await createTestChain()
  admin = createVigilContracts(chain.admin.clients, chain.addresses)
  owner = await chain.newAccount()
  outsider = await chain.newAccount()
})

afterAll(async () => {
  await gas.write('privacy-policy')
  await chain?.[Symbol.asyncDispose]()
})

describe('PrivacyPolicy', () => {
  test('hides every attribute from everyone but the owner when no policy exists', async () => {
    const subject = randomAddress()
    for (const attribute of [FACES, PEOPLE, PLATES, ZONES]) {
      expect(await maySee(owner.address, subject, attribute)).toBe(false)
      expect(await maySee(owner.address, owner.address, attribute)).toBe(true)
    }
    expect(await admin.privacyPolicy.read('scrambledFor', [owner.address, subject])).toBe(15)
  })

  test('lets the owner set its policy and shows non-sensitive attributes to everyone', async () => {
    const result = await as(owner).write('setPolicy', [owner.address, FACES | PLATES])
    gas.record('PrivacyPolicy.setPolicy', result.gasUsed)
    const [event] = parseEventLogs({ abi: privacyPolicy.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('PolicySet')
    const subject = randomAddress()
    expect(await maySee(owner.address, subject, FACES)).toBe(false)
    expect(await maySee(owner.address, subject, PLATES)).toBe(false)
    expect(await maySee(owner.address, subject, PEOPLE)).toBe(true)
    expect(await admin.privacyPolicy.read('getPolicy', [owner.address])).toEqual([true, 5, 1n])
  })

  test('lets the admin set a camera policy and refuses anyone else', async () => {
    const camera = randomAddress()
    await admin.privacyPolicy.write('setPolicy', [camera, FACES | PEOPLE | PLATES | ZONES])
    await expectRevert(as(outsider).write('setPolicy', [camera, 0]), 'NotOwnerOrAdmin')
    await expectRevert(as(owner).write('setPolicy', [owner.address, 16]), 'InvalidAttributes')
  })

  test('shows sensitive attributes to a granted subject and to holders of a granted role', async () => {
    const subject = randomAddress()
    const result = await as(owner).write('setSubjectAccess', [owner.address, subject, FACES])
    gas.record('PrivacyPolicy.setSubjectAccess', result.gasUsed)
    expect(await maySee(owner.address, subject, FACES)).toBe(true)
    expect(await maySee(owner.address, subject, PLATES)).toBe(false)

    const officer = randomAddress()
    const roleResult = await as(owner).write('setRoleAccess', [owner.address, investigator, PLATES])
    gas.record('PrivacyPolicy.setRoleAccess', roleResult.gasUsed)
    expect(await maySee(owner.address, officer, PLATES)).toBe(false)
    const assign = await admin.privacyPolicy.write('assignRole', [officer, investigator])
    gas.record('PrivacyPolicy.assignRole', assign.gasUsed)
    expect(await maySee(owner.address, officer, PLATES)).toBe(true)
    expect(await admin.privacyPolicy.read('scrambledFor', [owner.address, officer])).toBe(FACES)
    await admin.privacyPolicy.write('unassignRole', [officer, investigator])
    expect(await maySee(owner.address, officer, PLATES)).toBe(false)
    await as(owner).write('setSubjectAccess', [owner.address, subject, 0])
    expect(await maySee(owner.address, subject, FACES)).toBe(false)
  })

  test('refuses grants without a policy, by outsiders, or with bad values', async () => {
    const noPolicy = await chain.newAccount()
    await expectRevert(
      as(noPolicy).write('setSubjectAccess', [noPolicy.address, randomAddress(), FACES]),
      'NoPolicy',
    )
    await expectRevert(
      as(noPolicy).write('setRoleAccess', [noPolicy.address, investigator, FACES]),
      'NoPolicy',
    )
    await expectRevert(
      as(outsider).write('setSubjectAccess', [owner.address, outsider.address, FACES]),
      'NotOwnerOrAdmin',
    )
    await expectRevert(
      as(owner).write('setSubjectAccess', [owner.address, zeroAddress, FACES]),
      'ZeroAddress',
    )
    await expectRevert(
      as(owner).write('setSubjectAccess', [owner.address, randomAddress(), 0x10]),
      'InvalidAttributes',
    )
    await expectRevert(
      as(owner).write('setRoleAccess', [owner.address, zeroHash, FACES]),
      'InvalidRole',
    )
    await expectRevert(as(owner).write('assignRole', [owner.address, investigator]), 'NotAdmin')
    await expectRevert(
      admin.privacyPolicy.write('assignRole', [owner.address, zeroHash]),
      'InvalidRole',
    )
  })

  test('refuses a seventeenth role per owner', async () => {
    const busy = await chain.newAccount()
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
      await expectRevert(maySee(owner.address, randomAddress(), attribute), 'InvalidAttribute')
    }
  })
})
