/**
 * The operator commands against a real anvil: `vigil identity …`, `vigil access …`,
 * `vigil privacy …` and `vigil contracts anchorer-add`, each with `--rpc --addresses --key`,
 * checked by reading the contracts back. A refusal prints its code and exits 1.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex } from 'viem'
import { runCommand } from '../../../runtime/index.ts'
import { vigil } from '../../../scripts/vigil.ts'
import { accessDecisionName } from '../access-decision.ts'
import { domainId, toBytes32Name } from '../bytes32-name.ts'
import { writeContractAddresses } from '../contract-addresses.ts'
import {
  createTestChain,
  randomAddress,
  type TestAccount,
  type TestChain,
} from '../testing/index.ts'
import { createVigilContracts, type VigilContracts } from '../vigil-contracts.ts'

let chain: TestChain
let contracts: VigilContracts
let addressesFile: string
let outsider: TestAccount

/** Runs `vigil <args…> --rpc … --addresses … --key <key>`; returns exit code and output. */
async function operator(key: string, ...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCommand(
    vigil,
    [...args, '--rpc', chain.anvil.rpcUrl, '--addresses', addressesFile, '--key', key],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  )
  return { code, out: out.join('\n'), err: err.join('\n') }
}
const asAdmin = (...args: string[]) => operator(chain.admin.keyFile, ...args)

beforeAll(async () => {
  chain = await createTestChain()
  contracts = createVigilContracts(chain.admin.clients, chain.addresses)
  outsider = await chain.newAccount()
  addressesFile = join(mkdtempSync(join(tmpdir(), 'vigil-operator-')), 'addresses.json')
  await writeContractAddresses(addressesFile, chain.addresses)
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

describe('vigil identity', () => {
  test('creates a zone, registers, moves and removes a node, and binds a host key', async () => {
    const node = randomAddress()
    expect(
      (
        await asAdmin(
          'identity',
          'zone-create',
          '--zone',
          'zone-a',
          '--master',
          chain.admin.address,
        )
      ).code,
    ).toBe(0)
    expect(
      (
        await asAdmin(
          'identity',
          'zone-create',
          '--zone',
          'zone-b',
          '--master',
          chain.admin.address,
        )
      ).code,
    ).toBe(0)
    expect(
      (await asAdmin('identity', 'node-add', '--node', node, '--type', 'fog', '--zone', 'zone-a'))
        .code,
    ).toBe(0)
    expect(await contracts.identityRegistry.read('getNode', [node])).toEqual([
      2,
      toBytes32Name('zone-a'),
    ])
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32)))
    const bound = await asAdmin(
      'identity',
      'host-bind',
      '--node',
      node,
      '--host-id',
      'fog-1',
      '--public-key',
      key.toString('base64'),
    )
    expect(bound.code).toBe(0)
    expect(await contracts.identityRegistry.read('hostKeyOwner', [toHex(key)])).toBe(node)
    const shown = await asAdmin('identity', 'show', '--node', node)
    expect(JSON.parse(shown.out)).toMatchObject({
      nodeType: 'fog',
      zone: 'zone-a',
      hostId: 'fog-1',
      publicKey: key.toString('base64'),
    })
    expect((await asAdmin('identity', 'node-move', '--node', node, '--zone', 'zone-b')).code).toBe(
      0,
    )
    expect((await asAdmin('identity', 'node-remove', '--node', node)).code).toBe(0)
    expect((await contracts.identityRegistry.read('getNode', [node]))[0]).toBe(0)
  })

  test('prints the contract refusal with its code when the key lacks the role', async () => {
    const result = await operator(
      outsider.keyFile,
      'identity',
      'zone-create',
      '--zone',
      'zone-x',
      '--master',
      outsider.address,
    )
    expect(result.code).toBe(1)
    expect(result.err).toContain('[ETH_TX_REVERTED]')
    expect(result.err).toContain('NotAdmin')
    expect(result.err).not.toContain(chain.anvil.rpcUrl)
  })

  test('refuses bad flags with usage errors, and explains itself with --help', async () => {
    expect(
      (await asAdmin('identity', 'node-add', '--node', 'nope', '--type', 'fog', '--zone', 'zone-a'))
        .code,
    ).toBe(2)
    expect(
      (
        await asAdmin(
          'identity',
          'node-add',
          '--node',
          randomAddress(),
          '--type',
          'robot',
          '--zone',
          'zone-a',
        )
      ).code,
    ).toBe(2)
    expect(
      await runCommand(vigil, ['identity', 'host-bind', '--help'], {
        out: () => {},
        err: () => {},
      }),
    ).toBe(0)
    const missing = await runCommand(vigil, ['privacy', 'set', '--owner', randomAddress()], {
      out: () => {},
      err: () => {},
    })
    expect(missing).toBe(2)
  })
})

describe('vigil access', () => {
  test('appoints an issuer, which grants conditioned rights and revokes them', async () => {
    const issuer = await chain.newAccount()
    const subject = randomAddress()
    await contracts.identityRegistry.write('registerNode', [subject, 1, toBytes32Name('zone-a')])
    expect((await asAdmin('access', 'issuer-add', '--issuer', issuer.address)).code).toBe(0)
    const granted = await operator(
      issuer.keyFile,
      'access',
      'grant',
      '--subject',
      subject,
      '--right',
      '/enf/records:read',
      '--right',
      '/video:read,zone=zone-b,types=fog+cloud,window=22:00-06:00',
    )
    expect(granted.code).toBe(0)
    const [, valid, , , rights] = await contracts.capabilityAccessControl.read('getToken', [
      subject,
    ])
    expect(valid).toBe(true)
    expect(rights[1]).toMatchObject({
      resource: '/video',
      startSecond: 79_200,
      endSecond: 21_600,
      zoneId: toBytes32Name('zone-b'),
      nodeTypes: 12,
    })
    const more = await operator(
      issuer.keyFile,
      'access',
      'grant',
      '--subject',
      subject,
      '--right',
      '/privacy:read',
    )
    expect(more.code).toBe(0)
    expect((await contracts.capabilityAccessControl.read('getToken', [subject]))[4]).toHaveLength(3)
    const check = await asAdmin(
      'access',
      'check',
      '--subject',
      subject,
      '--resource',
      '/enf/records',
      '--action',
      'read',
    )
    expect(check.out).toBe('Allowed')
    expect((await operator(issuer.keyFile, 'access', 'revoke', '--subject', subject)).code).toBe(0)
    const now = BigInt(Math.floor(Date.now() / 1000))
    const decision = await contracts.capabilityAccessControl.read('checkAccess', [
      subject,
      '/enf/records',
      'read',
      now,
    ])
    expect(accessDecisionName(decision)).toBe('Revoked')
    expect((await operator(outsider.keyFile, 'access', 'revoke', '--subject', subject)).code).toBe(
      1,
    )
  })

  test('rejects a malformed right before sending', async () => {
    const result = await asAdmin(
      'access',
      'grant',
      '--subject',
      randomAddress(),
      '--right',
      '/x:read,window=25:00-01:00',
    )
    expect(result.code).toBe(2)
    expect(result.err).toContain('HH:MM')
  })
})

describe('vigil privacy and vigil contracts anchorer-add', () => {
  test('sets a camera policy, grants a role, assigns it, and appoints an anchorer', async () => {
    const camera = randomAddress()
    const viewer = randomAddress()
    expect(
      (await asAdmin('privacy', 'set', '--owner', camera, '--sensitive', 'faces,plates')).code,
    ).toBe(0)
    expect(
      (
        await asAdmin(
          'privacy',
          'grant',
          '--owner',
          camera,
          '--role',
          'investigator',
          '--attributes',
          'faces',
        )
      ).code,
    ).toBe(0)
    expect(
      (await asAdmin('privacy', 'role-assign', '--subject', viewer, '--role', 'investigator')).code,
    ).toBe(0)
    expect(await contracts.privacyPolicy.read('scrambledFor', [camera, viewer])).toBe(4)
    expect(
      (
        await asAdmin(
          'privacy',
          'grant',
          '--owner',
          camera,
          '--subject',
          viewer,
          '--attributes',
          'plates',
        )
      ).code,
    ).toBe(0)
    expect(await contracts.privacyPolicy.read('scrambledFor', [camera, viewer])).toBe(0)
    const host = randomAddress()
    expect(
      (await asAdmin('contracts', 'anchorer-add', '--domain', 'domain-a', '--anchorer', host)).code,
    ).toBe(0)
    expect(await contracts.anchor.read('isAnchorer', [domainId('domain-a'), host])).toBe(true)
  })
})
