import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { Caller } from '../actor/caller.ts'
import { waitFor } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'
import type { SystemEvent } from './system-events.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(60_000)

const fixture = (file: string, name: string) => ({
  module: new URL(`../testing/${file}`, import.meta.url).href,
  export: name,
})
const counter = fixture('counter-actor-fixture.ts', 'counterActor')
const counterV2 = fixture('counter-actor-v2-fixture.ts', 'counterActorV2')
const flood = fixture('flood-actor-fixture.ts', 'floodActor')
const whoami = fixture('whoami-actor-fixture.ts', 'whoamiActor')

type Flooded = { outcomes: string[]; last: unknown }

const adds = (n: number) =>
  Array.from({ length: n }, () => ({ type: 'counter.add', payload: { by: 1 } }))
const tally = (outcomes: string[]) => {
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1
  return counts
}

/** The flood actor's asks of `steps` to `to`, at most `window` in flight, and their outcomes. */
const floodAsks = (actors: ActorSystem, to: string, steps: unknown[], window: number) =>
  actors.ask<Flooded>('flood', 'flood.asks', { to, steps, window })

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 500 })
  system = undefined
})

function start(options: Parameters<typeof createActorSystem>[0] = {}): ActorSystem {
  system = createActorSystem({
    ...options,
    config: { simulateSerialization: false, directLinkAfter: 8, ...options.config },
  })
  return system
}

describe('direct links between actor workers', () => {
  test('carry one sender’s messages in order across the switch from the kernel path', async () => {
    const actors = start()
    await actors.spawn('counter', counter, { mailbox: { capacity: 10_000 } })
    await actors.spawn('flood', flood)
    // Ten bursts: the link is set up while the first ones still travel through the kernel.
    for (let burst = 0; burst < 10; burst++) {
      const steps = Array.from({ length: 500 }, (_, i) => ({
        type: 'counter.record',
        payload: { sender: 'flood', seq: burst * 500 + i },
      }))
      await actors.ask('flood', 'flood.tells', { to: 'counter', steps })
    }
    await waitFor(async () => {
      const report = (await actors.ask('counter', 'counter.report', {})) as { records: number }
      return report.records === 5000
    })
    expect(await actors.ask('counter', 'counter.report', {})).toEqual({
      records: 5000,
      outOfOrder: 0,
      version: 1,
    })
    await waitFor(() => actors.stats('counter').linked > 0)
    expect(actors.stats('counter').linked).toBeLessThanOrEqual(5000 - 8)
  })

  test('validate payloads against the target’s protocol, as the kernel path does', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    await actors.spawn('flood', flood)
    const bad = Array.from({ length: 100 }, () => ({ type: 'counter.add', payload: { by: 'x' } }))
    const unknown = [{ type: 'counter.nope', payload: {} }]
    const result = (await actors.ask('flood', 'flood.asks', {
      to: 'counter',
      steps: [...adds(50), ...bad, ...unknown],
      window: 16,
    })) as Flooded
    expect(tally(result.outcomes)).toEqual({ ok: 50, PROTOCOL_VIOLATION: 101 })
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({ count: 50 })
    await waitFor(() => actors.stats('counter').linked > 0)
  })

  test('hand the handler the sender’s principal, or the caller it passed on', async () => {
    const host: Caller = { id: 'host:test' }
    const actors = start({ actorCaller: () => host })
    await actors.spawn('whoami', whoami)
    await actors.spawn('flood', flood)
    const steps = Array.from({ length: 40 }, () => ({ type: 'whoami.open', payload: {} }))
    const own = await floodAsks(actors, 'whoami', steps, 4)
    expect(own.last).toEqual({ caller: host })
    const alice: Caller = { id: 'alice' }
    const relayed = (await actors.ask(
      'flood',
      'flood.asks',
      { to: 'whoami', steps, window: 4, onBehalf: true },
      { caller: alice },
    )) as Flooded
    expect(relayed.last).toEqual({ caller: alice })
    await waitFor(() => actors.stats('whoami').linked > 0)
  })

  test('lose and duplicate nothing while the target is hot-swapped under load', async () => {
    const actors = start()
    await actors.spawn('counter', counter, { mailbox: { capacity: 20_000 } })
    await actors.spawn('flood', flood)
    const flooding = actors.ask<Flooded>(
      'flood',
      'flood.asks',
      { to: 'counter', steps: adds(20_000), window: 512 },
      { timeoutMs: 60_000 },
    )
    await waitFor(() => actors.stats('counter').linked > 0)
    const swaps: number[] = []
    for (let i = 0; i < 4; i++) {
      const result = await actors.swap('counter', i % 2 === 0 ? counterV2 : counter)
      swaps.push(result.toVersion)
    }
    const result = await flooding
    expect(tally(result.outcomes)).toEqual({ ok: 20_000 })
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({ count: 20_000 })
    expect(swaps).toEqual([2, 1, 2, 1])
  })

  test('fail only the message that crashed the target and re-send the rest after its restart', async () => {
    const actors = start({ config: { backoffMinMs: 0 } })
    const events: SystemEvent[] = []
    actors.subscribe((event) => events.push(event))
    await actors.spawn('counter', counter)
    await actors.spawn('flood', flood)
    const steps = [...adds(300), { type: 'counter.crash', payload: {} }, ...adds(300)]
    const result = await floodAsks(actors, 'counter', steps, 64)
    expect(result.outcomes[300]).toBe('ACTOR_CRASHED')
    expect(tally(result.outcomes)).toEqual({ ok: 600, ACTOR_CRASHED: 1 })
    expect(events.filter((event) => event.type === 'actor.crashed')).toHaveLength(1)
    expect(events.find((event) => event.type === 'actor.crashed')).toMatchObject({
      messageType: 'counter.crash',
    })
  })

  test('fail unanswered messages with a typed error when the target’s worker dies', async () => {
    const actors = start({ config: { backoffMinMs: 0 } })
    await actors.spawn('counter', counter)
    await actors.spawn('flood', flood)
    const steps = [...adds(300), { type: 'counter.exit', payload: {} }, ...adds(300)]
    const result = await floodAsks(actors, 'counter', steps, 64)
    const counts = tally(result.outcomes)
    expect(Object.keys(counts).sort()).toEqual(['ACTOR_CRASHED', 'ok'])
    expect(result.outcomes.slice(0, 300 - 64).every((outcome) => outcome === 'ok')).toBe(true)
    expect(result.outcomes.slice(301 + 64).every((outcome) => outcome === 'ok')).toBe(true)
    expect(await actors.ask('counter', 'counter.get', {})).toMatchObject({
      count: expect.any(Number),
    })
  })

  test('refuse asks beyond the target’s mailbox capacity with MAILBOX_FULL', async () => {
    const actors = start()
    await actors.spawn('counter', counter, { mailbox: { capacity: 16 }, dispatchCredits: 4 })
    await actors.spawn('flood', flood)
    const warm = await floodAsks(actors, 'counter', adds(20), 1)
    expect(tally(warm.outcomes)).toEqual({ ok: 20 })
    const result = await floodAsks(actors, 'counter', adds(500), 500)
    const counts = tally(result.outcomes)
    expect(counts.MAILBOX_FULL ?? 0).toBeGreaterThan(0)
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({
      count: 20 + (counts.ok ?? 0),
    })
    await waitFor(() => actors.stats('counter').linked > 0)
  })

  test('stay on the kernel path when directLinkAfter is 0', async () => {
    const actors = start({ config: { directLinkAfter: 0 } })
    await actors.spawn('counter', counter)
    await actors.spawn('flood', flood)
    const result = await floodAsks(actors, 'counter', adds(200), 8)
    expect(tally(result.outcomes)).toEqual({ ok: 200 })
    expect(actors.stats('counter')).toMatchObject({ linked: 0, processed: 200 })
  })

  test('stay on the kernel path to an actor whose answers the snapshot hook holds', async () => {
    const persisted: number[] = []
    const actors = start()
    actors.setSnapshotHook(
      (snapshot) => void persisted.push(snapshot.seq),
      (actor) => actor === 'counter',
    )
    await actors.spawn('counter', counter, { snapshotEvery: 1 })
    await actors.spawn('flood', flood)
    const result = await floodAsks(actors, 'counter', adds(200), 8)
    expect(tally(result.outcomes)).toEqual({ ok: 200 })
    expect(actors.stats('counter')).toMatchObject({ linked: 0, processed: 200 })
    expect(persisted.length).toBeGreaterThan(0)
  })

  test('link to an actor the snapshot hook does not hold', async () => {
    const actors = start()
    actors.setSnapshotHook(
      () => undefined,
      (actor) => actor !== 'counter',
    )
    await actors.spawn('counter', counter, { snapshotEvery: 1 })
    await actors.spawn('flood', flood)
    await actors.ask('flood', 'flood.asks', { to: 'counter', steps: adds(200), window: 8 })
    await waitFor(() => actors.stats('counter').linked > 0)
  })
})
