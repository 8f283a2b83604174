/**
 * The identity actor in its own worker against a real anvil: state written before it starts is
 * replayed from the deployment block, later changes arrive through the contract's events.
 */
import { beforeAll, describe, expect, test } from 'bun:test'
import { toHex } from 'viem'
import { randomAddress, useContractTestChain } from '../../ledger/ethereum/testing/index.ts'
import { toBytes32Name } from '../../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { IdentityArgs } from './identity-actor.ts'
import type { HostOfKeyReply, ResolveReply } from './identity-protocol.ts'

const source = {
  module: new URL('./identity-actor.ts', import.meta.url).href,
  export: 'identityActor',
}
const EDGE = 1
const CLOUD = 3

let system: ActorSystem
const world = useContractTestChain({
  beforeStop: async () => system?.shutdown({ deadlineMs: 2_000 }),
})
const early = randomAddress()
const resolve = (address: string) =>
  system.ask('identity', 'identity.resolve', { address }) as Promise<ResolveReply>

beforeAll(async () => {
  await world.admin.identityRegistry.write('createZone', [
    toBytes32Name('zone-a'),
    world.chain.admin.address,
  ])
  await world.admin.identityRegistry.write('registerNode', [early, EDGE, toBytes32Name('zone-a')])
  const args: IdentityArgs = {
    chainId: world.chain.anvil.chainId,
    rpcUrl: world.chain.anvil.rpcUrl,
    addresses: world.chain.addresses,
    pollingIntervalMs: 20,
  }
  system = createActorSystem()
  await system.spawn('identity', source, { args })
})

describe('identityActor', () => {
  test('answers from state written before it started', async () => {
    expect(await resolve(early)).toMatchObject({
      address: early.toLowerCase(),
      registered: true,
      nodeType: 'edge',
      zone: 'zone-a',
      master: false,
    })
  })

  test('follows registrations, moves and removals within a poll of their block', async () => {
    const node = randomAddress()
    const joined = await world.admin.identityRegistry.write('registerNode', [
      node,
      CLOUD,
      toBytes32Name('zone-a'),
    ])
    const reply = await waitFor(async () => {
      const answer = await resolve(node)
      return answer.registered ? answer : undefined
    })
    expect(reply.block).toBeGreaterThanOrEqual(Number(joined.blockNumber))
    expect(await system.ask('identity', 'identity.same_zone', { a: node, b: early })).toMatchObject(
      {
        sameZone: true,
        zone: 'zone-a',
      },
    )
    await world.admin.identityRegistry.write('createZone', [
      toBytes32Name('zone-b'),
      world.chain.admin.address,
    ])
    await world.admin.identityRegistry.write('moveNode', [node, toBytes32Name('zone-b')])
    await waitFor(async () => (await resolve(node)).zone === 'zone-b')
    const removed = await world.admin.identityRegistry.write('removeNode', [node])
    await waitFor(async () => (await resolve(node)).block >= Number(removed.blockNumber))
    expect((await resolve(node)).registered).toBe(false)
  })

  test('finds the node a host key is bound to', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32))
    const publicKey = Buffer.from(raw).toString('base64')
    const ask = () =>
      system.ask('identity', 'identity.host_of_key', { publicKey }) as Promise<HostOfKeyReply>
    expect((await ask()).registered).toBe(false)
    await world.admin.identityRegistry.write('bindHostKey', [
      early,
      toBytes32Name('edge-1'),
      toHex(raw),
    ])
    expect(await waitFor(async () => ((await ask()).registered ? ask() : undefined))).toMatchObject(
      {
        hostId: 'edge-1',
        address: early.toLowerCase(),
        nodeType: 'edge',
        zone: 'zone-a',
      },
    )
  })

  test('refuses a malformed key at the boundary', async () => {
    await expect(
      system.ask('identity', 'identity.host_of_key', { publicKey: 'not base64' }),
    ).rejects.toMatchObject({ code: 'PROTOCOL_VIOLATION' })
  })
})
