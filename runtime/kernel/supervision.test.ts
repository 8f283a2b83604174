import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { ActorCrashedError, ActorStoppedError } from '../actor/errors.ts'
import { TestClock } from '../clock/test-clock.ts'
import { counterSpawn, rejectionOf, waitFor } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'
import type { KernelConfigInput } from './kernel-config.ts'
import type { SystemEvent } from './system-events.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const counter = counterSpawn

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 100 })
  system = undefined
})

function start(config: KernelConfigInput = {}) {
  const clock = new TestClock()
  const events: SystemEvent[] = []
  system = createActorSystem({ clock, config })
  system.subscribe((event) => events.push(event))
  return { actors: system, clock, events }
}

/** Spawns counters a, b, c under `supervisor` and gives them distinct counts 1, 2, 3. */
async function spawnThree(actors: ActorSystem, supervisor: string) {
  for (const [i, name] of ['a', 'b', 'c'].entries()) {
    await actors.spawn(name, counter, { supervisor })
    await actors.ask(name, 'counter.add', { by: i + 1 })
  }
}

async function counts(actors: ActorSystem) {
  const out: Record<string, unknown> = {}
  for (const name of ['a', 'b', 'c']) {
    out[name] = {
      count: ((await actors.ask(name, 'counter.get', {})) as { count: number }).count,
      restarts: actors.stats(name).restarts,
    }
  }
  return out
}

describe('supervision', () => {
  test('restarts only the crashed actor under one_for_one, from its last snapshot', async () => {
    const { actors } = start()
    actors.supervise('sup', { strategy: 'one_for_one' })
    await spawnThree(actors, 'sup')
    expect(ActorCrashedError.is(await rejectionOf(actors.ask('b', 'counter.crash', {})))).toBe(true)
    await waitFor(() => actors.stats('b').status === 'running' && actors.stats('b').restarts === 1)
    expect(await counts(actors)).toEqual({
      a: { count: 1, restarts: 0 },
      b: { count: 2, restarts: 1 },
      c: { count: 3, restarts: 0 },
    })
  })

  test('restarts every sibling under one_for_all, each from its last snapshot', async () => {
    const { actors, events } = start()
    actors.supervise('sup', { strategy: 'one_for_all' })
    await spawnThree(actors, 'sup')
    await rejectionOf(actors.ask('b', 'counter.crash', {}))
    await waitFor(() => ['a', 'b', 'c'].every((name) => actors.stats(name).restarts === 1))
    expect(await counts(actors)).toEqual({
      a: { count: 1, restarts: 1 },
      b: { count: 2, restarts: 1 },
      c: { count: 3, restarts: 1 },
    })
    expect(events.find((event) => event.type === 'supervisor.restarting')).toMatchObject({
      supervisor: 'sup',
      child: 'b',
      targets: ['a', 'b', 'c'],
      delayMs: 0,
    })
  })

  test('restarts the crashed actor and those started after it under rest_for_one', async () => {
    const { actors } = start()
    actors.supervise('sup', { strategy: 'rest_for_one' })
    await spawnThree(actors, 'sup')
    await rejectionOf(actors.ask('b', 'counter.crash', {}))
    await waitFor(() => ['b', 'c'].every((name) => actors.stats(name).restarts === 1))
    expect(await counts(actors)).toEqual({
      a: { count: 1, restarts: 0 },
      b: { count: 2, restarts: 1 },
      c: { count: 3, restarts: 1 },
    })
  })

  test('replaces a worker that died and restores the actor from its last snapshot', async () => {
    const { actors, events } = start()
    await actors.spawn('a', counter)
    await actors.ask('a', 'counter.add', { by: 9 })
    const error = await rejectionOf(actors.ask('a', 'counter.exit', {}))
    expect(ActorCrashedError.is(error)).toBe(true)
    await waitFor(() => actors.stats('a').restarts === 1 && actors.stats('a').status === 'running')
    expect(await actors.ask('a', 'counter.get', {})).toEqual({ count: 9 })
    expect(events.find((event) => event.type === 'actor.restarted')).toMatchObject({
      actor: 'a',
      fromSnapshot: true,
      newWorker: true,
    })
  })

  test('replaces a worker whose actor faults outside a handler', async () => {
    const { actors, events } = start()
    await actors.spawn('a', counter)
    await actors.ask('a', 'counter.add', { by: 2 })
    await actors.ask('a', 'counter.fault', {})
    await waitFor(() => actors.stats('a').restarts === 1 && actors.stats('a').status === 'running')
    expect(await actors.ask('a', 'counter.get', {})).toEqual({ count: 2 })
    const crashed = events.find((event) => event.type === 'actor.crashed')
    expect(crashed).toMatchObject({ how: 'worker-died' })
    expect(JSON.stringify(crashed)).toContain('fault in a timer')
  })

  test('redelivers an idempotent message to the restarted actor', async () => {
    const { actors } = start()
    await actors.spawn('a', counter)
    await actors.ask('a', 'counter.add', { by: 4 })
    expect(await actors.ask('a', 'counter.flaky', {})).toEqual({ count: 4 })
    expect(actors.stats('a').restarts).toBe(1)
  })

  test('keeps messages queued during a crash and delivers them in order after the restart', async () => {
    const { actors } = start()
    await actors.spawn('a', counter)
    const crash = rejectionOf(actors.ask('a', 'counter.crash', {}))
    const replies = Array.from({ length: 50 }, () => actors.ask('a', 'counter.add', { by: 1 }))
    await crash
    expect((await Promise.all(replies)).map((reply) => (reply as { count: number }).count)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
  })

  test('backs off before a second restart within the period, on the injected clock', async () => {
    const { actors, clock } = start({ backoffMinMs: 100 })
    await actors.spawn('a', counter)
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => actors.stats('a').restarts === 1 && actors.stats('a').status === 'running')
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => actors.stats('a').status === 'crashed')
    clock.advance(99)
    expect(actors.stats('a')).toMatchObject({ status: 'crashed', restarts: 1 })
    clock.advance(1)
    await waitFor(() => actors.stats('a').restarts === 2 && actors.stats('a').status === 'running')
    expect(await actors.ask('a', 'counter.get', {})).toEqual({ count: 0 })
  })

  test('escalates to the parent supervisor when the restart intensity is exceeded', async () => {
    const { actors, events } = start()
    actors.supervise('outer', { strategy: 'one_for_one', intensity: 5 })
    actors.supervise('inner', { strategy: 'one_for_one', intensity: 1, parent: 'outer' })
    await actors.spawn('a', counter, { supervisor: 'inner' })
    await actors.ask('a', 'counter.add', { by: 3 })
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => actors.stats('a').restarts === 1 && actors.stats('a').status === 'running')
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => actors.stats('a').restarts === 2 && actors.stats('a').status === 'running')
    const supervision = events.filter((event) => event.type.startsWith('supervisor.'))
    expect(supervision).toMatchObject([
      { type: 'supervisor.restarting', supervisor: 'inner', child: 'a', targets: ['a'] },
      { type: 'supervisor.escalated', supervisor: 'inner', to: 'outer', child: 'a' },
      { type: 'supervisor.restarting', supervisor: 'outer', child: 'inner', targets: ['inner'] },
    ])
    expect(await actors.ask('a', 'counter.get', {})).toEqual({ count: 3 })
  })

  test('gives up at the root when its intensity is exceeded and stops its actors', async () => {
    const { actors, events } = start({ restartIntensity: 0 })
    await actors.spawn('a', counter)
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => actors.stats('a').status === 'failed')
    expect(events.find((event) => event.type === 'supervisor.gave_up')).toMatchObject({
      supervisor: 'root',
      child: 'a',
      stopped: ['a'],
    })
    expect(ActorStoppedError.is(await rejectionOf(actors.ask('a', 'counter.get', {})))).toBe(true)
  })

  test('treats a restart whose migrate throws as another crash until the supervisor gives up', async () => {
    const { actors, events } = start({ restartIntensity: 2, backoffMinMs: 0 })
    await actors.spawn('a', {
      module: new URL('../testing/counter-actor-broken-fixture.ts', import.meta.url).href,
    })
    await actors.ask('a', 'counter.add', { by: 1 })
    await rejectionOf(actors.ask('a', 'counter.crash', {}))
    await waitFor(() => events.some((event) => event.type === 'actor.stopped'))
    expect(actors.stats('a').status).toBe('failed')
    expect(
      events
        .filter((event) => event.type === 'actor.crashed')
        .map((event) => (event.type === 'actor.crashed' ? event.how : undefined)),
    ).toEqual(['thrown', 'start-failed', 'start-failed'])
    expect(events.find((event) => event.type === 'supervisor.gave_up')).toBeDefined()
  })

  test('never takes the host process down when an actor crashes', async () => {
    const { actors } = start({ backoffMinMs: 0 })
    await actors.spawn('a', counter)
    for (let i = 1; i <= 4; i++) {
      await rejectionOf(actors.ask('a', i % 2 === 0 ? 'counter.crash' : 'counter.exit', {}))
      await waitFor(
        () => actors.stats('a').status === 'running' && actors.stats('a').restarts === i,
      )
    }
    expect(await actors.ask('a', 'counter.add', { by: 1 })).toEqual({ count: 1 })
  })
})
