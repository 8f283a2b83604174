import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { MigrationFailedError } from '../actor/errors.ts'
import { rejectionOf } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'
import type { SystemEvent } from './system-events.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const fixture = (file: string, name: string) => ({
  module: new URL(`../testing/${file}`, import.meta.url).href,
  export: name,
})
const v1 = fixture('counter-actor-fixture.ts', 'counterActor')
const v2 = fixture('counter-actor-v2-fixture.ts', 'counterActorV2')
const broken = fixture('counter-actor-broken-fixture.ts', 'counterActorBroken')

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 100 })
  system = undefined
})

describe('hot swap', () => {
  test('swaps code during a flood of 100,000 messages without losing or reordering any', async () => {
    system = createActorSystem()
    const actors = system
    const events: SystemEvent[] = []
    let atSwap: { processed: number; mailboxDepth: number } | undefined
    actors.subscribe((event) => {
      events.push(event)
      if (event.type === 'actor.swapped') atSwap = actors.stats('counter')
    })
    // Few credits keep the flood in the mailbox long enough for the swap to land inside it.
    await actors.spawn('counter', v1, { mailbox: { capacity: 100_000 }, dispatchCredits: 16 })
    const senders = ['s0', 's1', 's2', 's3']
    const send = (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        for (const sender of senders) {
          actors.tell('counter', 'counter.record', { sender, seq }, { from: sender })
        }
      }
    }
    send(0, 12_500)
    const swapped = actors.swap('counter', v2)
    send(12_500, 25_000)
    const result = await swapped
    const report = await actors.ask('counter', 'counter.report', {})
    expect(report).toEqual({ records: 100_000, outOfOrder: 0, version: 2 })
    expect(result).toMatchObject({ fromVersion: 1, toVersion: 2 })
    expect(atSwap?.processed).toBeLessThan(100_000)
    expect(actors.stats('counter')).toMatchObject({
      received: 100_001,
      processed: 100_001,
      version: 2,
      deadLetters: 0,
    })
    expect(events.filter((event) => event.type === 'actor.swapped')).toHaveLength(1)
  })

  test('rolls back a failing migrate and keeps the old version serving', async () => {
    system = createActorSystem()
    const actors = system
    const events: SystemEvent[] = []
    actors.subscribe((event) => events.push(event))
    await actors.spawn('counter', v1)
    await actors.ask('counter', 'counter.add', { by: 5 })
    const pending = Array.from({ length: 100 }, () =>
      actors.ask('counter', 'counter.add', { by: 1 }),
    )
    const error = await rejectionOf(actors.swap('counter', broken))
    pending.push(actors.ask('counter', 'counter.add', { by: 1 }))
    expect(MigrationFailedError.is(error)).toBe(true)
    expect(error).toMatchObject({
      meta: { actor: 'counter', fromVersion: 1, toVersion: 3 },
      details: 'RangeError: version 3 cannot read this snapshot: field `count` moved',
    })
    const counts = (await Promise.all(pending)).map((reply) => (reply as { count: number }).count)
    expect(counts).toEqual(Array.from({ length: 101 }, (_, i) => i + 6))
    expect(await actors.ask('counter', 'counter.report', {})).toMatchObject({ version: 1 })
    expect(actors.listActors()[0]).toMatchObject({ version: 1, status: 'running' })
    expect(events.find((event) => event.type === 'actor.swap_failed')).toMatchObject({
      actor: 'counter',
      fromVersion: 1,
      error: { code: 'MIGRATION_FAILED' },
    })
  })

  test('refuses a swap to a module without an actor definition and keeps serving', async () => {
    system = createActorSystem()
    const actors = system
    await actors.spawn('counter', v1)
    const error = await rejectionOf(
      actors.swap('counter', fixture('counter-actor-fixture.ts', 'counterProtocol')),
    )
    expect(MigrationFailedError.is(error)).toBe(true)
    expect((error as MigrationFailedError).details).toContain("export 'counterProtocol'")
    expect(await actors.ask('counter', 'counter.add', { by: 1 })).toEqual({ count: 1 })
  })

  test('restarts a swapped actor with the new code from the migrated snapshot', async () => {
    system = createActorSystem()
    const actors = system
    await actors.spawn('counter', v1)
    await actors.ask('counter', 'counter.add', { by: 7 })
    await actors.swap('counter', v2)
    await rejectionOf(actors.ask('counter', 'counter.crash', {}))
    expect(await actors.ask('counter', 'counter.report', {})).toMatchObject({ version: 2 })
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({ count: 7 })
  })
})
