import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { ActorSystem } from '../kernel/actor-system.ts'
import { createActorSystem } from '../kernel/create-actor-system.ts'
import type { counterProtocol } from '../testing/index.ts'
import { typedRef } from './typed-ref.ts'

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 1000 })
  system = undefined
})

describe('typedRef', () => {
  test('sends through any named sender with the protocol’s message and reply types', async () => {
    system = createActorSystem()
    await system.spawn('counter', {
      module: join(import.meta.dir, '../testing/counter-actor-fixture.ts'),
      export: 'counterActor',
    })
    const counter = typedRef<typeof counterProtocol>(system, 'counter')
    const added = await counter.ask('counter.add', { by: 2 })
    // The reply is typed: `count` is a number here, not unknown.
    const count: number = added.count
    expect(count).toBe(2)
    counter.tell('counter.add', { by: 1 })
    expect((await counter.ask('counter.get', {})).count).toBe(3)
    // @ts-expect-error: not a message of the counter protocol
    await counter.ask('counter.nope', {}).catch(() => undefined)
    // @ts-expect-error: `by` must be a number
    await counter.ask('counter.add', { by: 'two' }).catch(() => undefined)
  })
})
