/**
 * The access-control actor against a real anvil: access.check in its own worker, answered from
 * the mirrors fed by contract events (revocation and expiry within a block), and access.request
 * issuing on chain from an account that holds only the issuer role to the caller the kernel
 * carries (`system.ask(…, { caller })`).
 */
import { beforeAll, describe, expect, test } from 'bun:test'
import { zeroHash } from 'viem'
import { randomAddress, useContractTestChain } from '../../ledger/ethereum/testing/index.ts'
import { toBytes32Name } from '../../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { rejectionOf, waitFor } from '../../runtime/testing/index.ts'
import type { AccessControlArgs } from './access-control-actor.ts'
import type { AccessCheckReply, AccessRequestReply } from './access-control-protocol.ts'

const source = {
  module: new URL('./access-control-actor.ts', import.meta.url).href,
  export: 'accessControlActor',
}
const FOG = 2
const USER = 4
const anyTime = { startSecond: 0, endSecond: 0, zoneId: zeroHash, nodeTypes: 0 }
const nowSeconds = () => Math.floor(Date.now() / 1000)

let system: ActorSystem
const world = useContractTestChain({
  accounts: ['issuer'],
  beforeStop: async () => system?.shutdown({ deadlineMs: 2_000 }),
})
let args: AccessControlArgs
const viewer = randomAddress()
const fog = randomAddress()

const check = (subject: string, resource = '/enf/records', action = 'read') =>
  system.ask('access-control', 'access.check', {
    subject,
    resource,
    action,
  }) as Promise<AccessCheckReply>

beforeAll(async () => {
  await world.admin.capabilityAccessControl.write('addIssuer', [world.issuer.address])
  for (const zone of ['zone-a', 'zone-b']) {
    await world.admin.identityRegistry.write('createZone', [
      toBytes32Name(zone),
      world.chain.admin.address,
    ])
  }
  await world.admin.identityRegistry.write('registerNode', [viewer, USER, toBytes32Name('zone-a')])
  await world.admin.identityRegistry.write('registerNode', [fog, FOG, toBytes32Name('zone-a')])
  args = {
    chainId: world.chain.anvil.chainId,
    rpcUrl: world.chain.anvil.rpcUrl,
    addresses: world.chain.addresses,
    keyFile: world.issuer.keyFile,
    pollingIntervalMs: 20,
    policy: {
      rules: [
        {
          nodeTypes: ['user'],
          rights: [
            { resource: '/enf/records', action: 'read', zone: 'own' },
            { resource: '/privacy', action: 'read' },
          ],
        },
      ],
    },
  }
  system = createActorSystem()
  await system.spawn('access-control', source, { args })
})

describe('accessControlActor access.check', () => {
  test('refuses unregistered subjects, and subjects without a token', async () => {
    expect(await check(randomAddress())).toMatchObject({
      allowed: false,
      code: 'ACCESS_NOT_REGISTERED',
    })
    expect(await check('host:edge-1')).toMatchObject({
      allowed: false,
      code: 'ACCESS_NOT_REGISTERED',
    })
    const denied = await check(fog)
    expect(denied).toMatchObject({ allowed: false, code: 'ACCESS_DENIED' })
    expect(denied.validUntilMs).toBeGreaterThan(Date.now() - 60_000)
  })

  test('lets every registered subject request rights, and no one else', async () => {
    expect((await check(fog, '/access', 'request')).allowed).toBe(true)
    expect((await check(randomAddress(), '/access', 'request')).allowed).toBe(false)
  })

  test('follows issue and revocation, refusing from the block of the revocation on', async () => {
    const subject = randomAddress()
    await world.admin.identityRegistry.write('registerNode', [
      subject,
      FOG,
      toBytes32Name('zone-a'),
    ])
    const rights = [
      { resource: '/enf/records', action: 'read', ...anyTime },
      { ...anyTime, resource: '/enf/records', action: 'write', zoneId: toBytes32Name('zone-b') },
    ]
    await world.admin.capabilityAccessControl.write('issueToken', [
      subject,
      BigInt(nowSeconds() + 3_600),
      rights,
    ])
    await waitFor(async () => (await check(subject)).allowed)
    expect(await check(subject, '/enf/records', 'write')).toMatchObject({
      allowed: false,
      code: 'ACCESS_OTHER_ZONE',
    })
    const revoked = await world.admin.capabilityAccessControl.write('revokeToken', [subject])
    const first = await waitFor(async () => {
      const reply = await check(subject)
      return reply.block >= Number(revoked.blockNumber) ? reply : undefined
    })
    expect(first).toMatchObject({ allowed: false, code: 'ACCESS_DENIED' })
  })

  test('stops allowing when the token expires', async () => {
    const subject = randomAddress()
    await world.admin.identityRegistry.write('registerNode', [
      subject,
      FOG,
      toBytes32Name('zone-a'),
    ])
    const expiresAt = nowSeconds() + 2
    const rights = [{ resource: '/enf/records', action: 'read', ...anyTime }]
    await world.admin.capabilityAccessControl.write('issueToken', [
      subject,
      BigInt(expiresAt),
      rights,
    ])
    const allowed = await waitFor(async () => {
      const reply = await check(subject)
      return reply.allowed ? reply : undefined
    })
    expect(allowed.validUntilMs).toBeLessThanOrEqual(expiresAt * 1000 + 999)
    await waitFor(async () => !(await check(subject)).allowed, { timeoutMs: 10_000 })
    expect(Date.now()).toBeGreaterThan(expiresAt * 1000)
  })

  test('answers access.request without a caller with AUTH_REQUIRED', async () => {
    const error = await rejectionOf(
      system.ask('access-control', 'access.request', {
        rights: [{ resource: '/privacy', action: 'read' }],
      }),
    )
    expect(error).toMatchObject({ code: 'AUTH_REQUIRED' })
  })
})

describe('accessControlActor access.request', () => {
  const request = (callerId: string, rights: { resource: string; action: string }[]) =>
    system.ask(
      'access-control',
      'access.request',
      { rights },
      { caller: { id: callerId } },
    ) as Promise<AccessRequestReply>

  test('issues what the policy grants to the caller from the issuer account, and refuses the rest', async () => {
    const reply = await request(viewer, [{ resource: '/enf/records', action: 'read' }])
    expect(reply.subject).toBe(viewer.toLowerCase())
    expect(reply.rights).toEqual([{ resource: '/enf/records', action: 'read', zone: 'zone-a' }])
    const [, valid, , , onChain] = await world.admin.capabilityAccessControl.read('getToken', [
      viewer,
    ])
    expect(valid).toBe(true)
    expect(onChain.map((r) => r.zoneId)).toEqual([toBytes32Name('zone-a')])
    // The reply waits for the actor's mirror: a check right after sees the token.
    expect((await check(viewer)).allowed).toBe(true)
    const more = await request(viewer, [{ resource: '/privacy', action: 'read' }])
    expect(more.rights.map((r) => r.resource)).toEqual(['/enf/records', '/privacy'])
    expect((await check(viewer, '/privacy', 'read')).allowed).toBe(true)
    expect(
      await rejectionOf(request(viewer, [{ resource: '/enf/records', action: 'write' }])),
    ).toMatchObject({
      code: 'ACCESS_DENIED',
    })
    expect(
      await rejectionOf(request(fog, [{ resource: '/privacy', action: 'read' }])),
    ).toMatchObject({
      code: 'ACCESS_DENIED',
    })
    expect(
      await rejectionOf(request(randomAddress(), [{ resource: '/privacy', action: 'read' }])),
    ).toMatchObject({
      code: 'ACCESS_NOT_REGISTERED',
    })
  })

  test("leaves the world.issuer without the contracts' world.admin role", async () => {
    expect(await world.admin.capabilityAccessControl.read('admin', [])).not.toBe(
      world.issuer.address,
    )
    expect(await world.admin.capabilityAccessControl.read('isIssuer', [world.issuer.address])).toBe(
      true,
    )
  })
})
