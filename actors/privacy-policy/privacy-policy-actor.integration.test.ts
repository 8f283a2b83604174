/**
 * The privacy-policy actor in its own worker against a real anvil: its answers match the
 * contract's own `scrambledFor` as policies, grants and roles change.
 */
import { beforeAll, describe, expect, test } from 'bun:test'
import { randomAddress, useContractTestChain } from '../../ledger/ethereum/testing/index.ts'
import { toBytes32Name } from '../../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { PrivacyPolicyArgs } from './privacy-policy-actor.ts'
import type { VisibleAttributes } from './privacy-protocol.ts'

const source = {
  module: new URL('./privacy-policy-actor.ts', import.meta.url).href,
  export: 'privacyPolicyActor',
}
const FACES = 1
const PLATES = 4
const NONE = { faces: false, people: false, plates: false, zones: false }
const ALL = { faces: true, people: true, plates: true, zones: true }

let system: ActorSystem
const world = useContractTestChain({
  beforeStop: async () => system?.shutdown({ deadlineMs: 2_000 }),
})
const camera = randomAddress()
const person = randomAddress()
const viewer = randomAddress()

const visible = async (payload: { viewer: string; owner: string; camera?: string }) => {
  const reply = (await system.ask('privacy-policy', 'privacy.visible', payload)) as {
    attributes: VisibleAttributes
    block: number
  }
  return reply
}
/** Waits until the actor has seen block `block`, then answers. */
const visibleAt = async (
  block: bigint,
  payload: { viewer: string; owner: string; camera?: string },
) =>
  (
    await waitFor(async () => {
      const reply = await visible(payload)
      return reply.block >= Number(block) ? reply : undefined
    })
  ).attributes

beforeAll(async () => {
  await world.admin.privacyPolicy.write('setPolicy', [camera, FACES | PLATES])
  const args: PrivacyPolicyArgs = {
    chainId: world.chain.anvil.chainId,
    rpcUrl: world.chain.anvil.rpcUrl,
    addresses: world.chain.addresses,
    pollingIntervalMs: 20,
  }
  system = createActorSystem()
  await system.spawn('privacy-policy', source, { args })
})

describe('privacyPolicyActor', () => {
  test('hides everything of an owner without a policy from everyone but the owner', async () => {
    expect((await visible({ viewer, owner: person })).attributes).toEqual(NONE)
    expect((await visible({ viewer: person, owner: person })).attributes).toEqual(ALL)
  })

  test("shows a camera's non-sensitive attributes, then what a subject or role is granted", async () => {
    expect((await visible({ viewer, owner: camera })).attributes).toEqual({
      faces: false,
      people: true,
      plates: false,
      zones: true,
    })
    const granted = await world.admin.privacyPolicy.write('setSubjectAccess', [
      camera,
      viewer,
      PLATES,
    ])
    expect((await visibleAt(granted.blockNumber, { viewer, owner: camera })).plates).toBe(true)
    const role = toBytes32Name('investigator')
    await world.admin.privacyPolicy.write('setRoleAccess', [camera, role, FACES])
    const assigned = await world.admin.privacyPolicy.write('assignRole', [viewer, role])
    expect(await visibleAt(assigned.blockNumber, { viewer, owner: camera })).toEqual(ALL)
    const hidden = await world.admin.privacyPolicy.read('scrambledFor', [camera, viewer])
    expect(hidden).toBe(0)
    const unassigned = await world.admin.privacyPolicy.write('unassignRole', [viewer, role])
    expect((await visibleAt(unassigned.blockNumber, { viewer, owner: camera })).faces).toBe(false)
  })

  test("applies both the owner's and the camera's policy to footage of a person", async () => {
    const set = await world.admin.privacyPolicy.write('setPolicy', [person, 0])
    expect(await visibleAt(set.blockNumber, { viewer, owner: person })).toEqual(ALL)
    expect(await visibleAt(set.blockNumber, { viewer, owner: person, camera })).toEqual({
      faces: false,
      people: true,
      plates: true,
      zones: true,
    })
  })
})
