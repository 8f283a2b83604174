import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type Caller, hostCaller } from '../actor/caller.ts'
import { waitFor } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'

const WHOAMI = { module: join(import.meta.dir, '../testing/whoami-actor-fixture.ts') }
const alice: Caller = {
  id: '0x00000000000000000000000000000000000000a1',
  credential: 'session-token',
  claims: { domain: 'local', zone: 'z1' },
}

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 1000 })
  system = undefined
})

async function twoWhoamis(actorCaller?: (actor: string) => Caller | undefined) {
  system = createActorSystem({ actorCaller })
  await system.spawn('front', WHOAMI)
  await system.spawn('back', WHOAMI)
  return system
}

describe('callers in the kernel', () => {
  test("hands the caller of ask and tell to the handler's context", async () => {
    const kernel = await twoWhoamis()
    expect(await kernel.ask('front', 'whoami.ask', {}, { caller: alice })).toEqual({
      caller: alice,
    })
    expect(await kernel.ask('front', 'whoami.ask', {})).toEqual({ caller: null })
    kernel.tell('back', 'whoami.record', {}, { caller: alice })
    kernel.tell('back', 'whoami.record', {})
    const recorded = await waitFor(async () => {
      const reply = await kernel.ask<{ callers: unknown[] }>('back', 'whoami.recorded', {})
      return reply.callers.length === 2 ? reply.callers : undefined
    })
    expect(recorded).toEqual([alice, null])
  })

  test("gives an actor's own sends the host principal unless it passes its caller on", async () => {
    const kernel = await twoWhoamis((actor) => hostCaller('fog-1', actor))
    expect(
      await kernel.ask('front', 'whoami.relay', { to: 'back', onBehalf: false }, { caller: alice }),
    ).toEqual({ caller: { id: 'host:fog-1', claims: { host: 'fog-1', actor: 'front' } } })
    expect(
      await kernel.ask('front', 'whoami.relay', { to: 'back', onBehalf: true }, { caller: alice }),
    ).toEqual({ caller: alice })
  })

  test('sends an actor’s own messages without a caller in a bare kernel', async () => {
    const kernel = await twoWhoamis()
    expect(
      await kernel.ask('front', 'whoami.relay', { to: 'back', onBehalf: false }, { caller: alice }),
    ).toEqual({ caller: null })
  })
})
