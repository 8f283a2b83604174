import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import {
  ActorCrashedError,
  ActorNotFoundError,
  AskCancelledError,
  AskTimeoutError,
  ProtocolViolationError,
  SerializationFailedError,
} from '../actor/errors.ts'
import { TestClock } from '../clock/test-clock.ts'
import { BaseError } from '../errors/base-error.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import { counterSpawn, rejectionOf, waitFor } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'
import type { SystemEvent } from './system-events.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const counter = counterSpawn

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 100 })
  system = undefined
})

function start(config: Parameters<typeof createActorSystem>[0] = {}) {
  system = createActorSystem(config)
  return system
}

describe('createActorSystem', () => {
  test('answers a request with the reply of an actor running in a worker', async () => {
    const actors = start()
    await actors.spawn('counter', counter, { args: { start: 40 } })
    expect(await actors.ask('counter', 'counter.add', { by: 2 })).toEqual({ count: 42 })
    actors.tell('counter', 'counter.add', { by: 1 })
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({ count: 43 })
    expect(actors.stats('counter')).toMatchObject({
      received: 3,
      processed: 3,
      failed: 0,
      restarts: 0,
      mailboxDepth: 0,
      status: 'running',
    })
    expect(actors.stats('counter').latency.count).toBe(3)
    expect(actors.listActors()).toEqual([
      {
        name: 'counter',
        kind: 'counter',
        version: 1,
        status: 'running',
        supervisor: 'root',
        module: counter.module,
      },
    ])
  })

  test('rejects a message of an unknown type with a clear error and keeps the actor running', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const error = await rejectionOf(actors.ask('counter', 'counter.explode', {}))
    expect(ProtocolViolationError.is(error)).toBe(true)
    expect((error as ProtocolViolationError).shortMessage).toContain(
      "'counter.explode' is not a message of actor 'counter'; known: counter.add",
    )
    expect(await actors.ask('counter', 'counter.add', { by: 1 })).toEqual({ count: 1 })
  })

  test('rejects a payload that does not match the protocol, naming the field, and keeps the actor running', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const error = await rejectionOf(actors.ask('counter', 'counter.add', { by: 'two' }))
    expect(ProtocolViolationError.is(error)).toBe(true)
    expect((error as ProtocolViolationError).meta).toMatchObject({
      actor: 'counter',
      type: 'counter.add',
      issues: [{ path: 'by' }],
    })
    expect(() => actors.tell('counter', 'counter.add', {})).toThrow(/by: /)
    expect(await actors.ask('counter', 'counter.add', { by: 2 })).toEqual({ count: 2 })
    expect(actors.stats('counter')).toMatchObject({ received: 1, restarts: 0, status: 'running' })
  })

  test('carries a typed error answered by a handler across the worker boundary without a restart', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const error = await rejectionOf(actors.ask('counter', 'counter.refuse', {}))
    expect(BaseError.is(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'COUNTER_REFUSED',
      kind: 'application',
      shortMessage: 'counter refuses politely',
    })
    expect(actors.stats('counter')).toMatchObject({ failed: 1, restarts: 0 })
  })

  test('fails the message that crashed an actor with ACTOR_CRASHED carrying the cause', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const error = await rejectionOf(actors.ask('counter', 'counter.crash', {}))
    expect(ActorCrashedError.is(error)).toBe(true)
    expect(
      (error as BaseError).walk((e) => BaseError.is(e) && e.code === 'INTERNAL'),
    ).toMatchObject({ shortMessage: 'TypeError: counter was told to crash' })
  })

  test('refuses a payload that would not survive msgpack when serialization is simulated', async () => {
    const actors = start({ config: { simulateSerialization: true } })
    await actors.spawn('counter', counter)
    const error = await rejectionOf(
      actors.ask('counter', 'counter.echo', { value: { callback: () => 1 } }),
    )
    expect(SerializationFailedError.is(error)).toBe(true)
    expect(await actors.ask('counter', 'counter.echo', { value: { at: [1, 'a'] } })).toEqual({
      at: [1, 'a'],
    })
  })

  test('answers MailboxFull at once when the mailbox is full, and memory stays bounded', async () => {
    const actors = start()
    await actors.spawn('counter', counter, {
      mailbox: { capacity: 8, overflow: 'reject' },
      dispatchCredits: 1,
    })
    // The first message occupies the worker; the next 8 fill the mailbox.
    void actors.ask('counter', 'counter.wait', { ms: 60_000 }).catch(() => undefined)
    await waitFor(() => actors.stats('counter').inFlight === 1)
    for (let i = 0; i < 8; i++) actors.tell('counter', 'counter.add', { by: 1 })
    Bun.gc(true)
    const heapBefore = process.memoryUsage().heapUsed
    let rejected = 0
    for (let i = 0; i < 100_000; i++) {
      try {
        actors.tell('counter', 'counter.add', { by: 1 })
      } catch (error) {
        if (MailboxFullError.is(error)) rejected++
      }
    }
    const askError = await rejectionOf(actors.ask('counter', 'counter.get', {}))
    Bun.gc(true)
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore
    expect(rejected).toBe(100_000)
    expect(MailboxFullError.is(askError)).toBe(true)
    expect(actors.stats('counter')).toMatchObject({ mailboxDepth: 8, received: 9 })
    expect(heapGrowth).toBeLessThan(16 * 1024 * 1024)
    const result = await actors.shutdown({ deadlineMs: 50 })
    expect(result.undelivered).toBe(9)
    system = undefined
  })

  test('drops the oldest queued message under drop-oldest and records it as a dead letter', async () => {
    const actors = start()
    await actors.spawn('counter', counter, {
      mailbox: { capacity: 2, overflow: 'drop-oldest' },
      dispatchCredits: 1,
    })
    const busy = actors.ask('counter', 'counter.wait', { ms: 30 })
    await waitFor(() => actors.stats('counter').inFlight === 1)
    const first = rejectionOf(actors.ask('counter', 'counter.add', { by: 100 }))
    for (let i = 0; i < 3; i++) actors.tell('counter', 'counter.add', { by: 1 })
    expect(MailboxFullError.is(await first)).toBe(true)
    await busy
    await waitFor(() => actors.stats('counter').processed === 3)
    expect(await actors.ask('counter', 'counter.get', {})).toEqual({ count: 2 })
    expect(actors.deadLetters().recent.map((letter) => letter.reason)).toEqual([
      'mailbox-overflow',
      'mailbox-overflow',
    ])
  })

  test('times out an ask on the injected clock', async () => {
    const clock = new TestClock()
    const actors = start({ clock })
    await actors.spawn('counter', counter)
    const pending = actors.ask('counter', 'counter.wait', { ms: 50 }, { timeoutMs: 1000 })
    clock.advance(999)
    const early = await Promise.race([pending.then(() => 'replied'), Promise.resolve('pending')])
    clock.advance(1)
    const error = await rejectionOf(pending)
    expect(early).toBe('pending')
    expect(AskTimeoutError.is(error)).toBe(true)
    expect((error as AskTimeoutError).meta).toEqual({
      actor: 'counter',
      type: 'counter.wait',
      timeoutMs: 1000,
    })
  })

  test('cancels an ask when its signal aborts', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const controller = new AbortController()
    const pending = actors.ask('counter', 'counter.wait', { ms: 50 }, { signal: controller.signal })
    controller.abort()
    expect(AskCancelledError.is(await rejectionOf(pending))).toBe(true)
  })

  test('counts messages to unknown actors as dead letters', async () => {
    const clock = new TestClock(1000)
    const actors = start({ clock })
    expect(() => actors.tell('nobody', 'x.y', {})).toThrow(ActorNotFoundError)
    expect(ActorNotFoundError.is(await rejectionOf(actors.ask('nobody', 'x.y', {})))).toBe(true)
    expect(actors.deadLetters()).toEqual({
      count: 2,
      recent: [
        { to: 'nobody', type: 'x.y', from: undefined, reason: 'actor-not-found', at: 1000 },
        { to: 'nobody', type: 'x.y', from: undefined, reason: 'actor-not-found', at: 1000 },
      ],
    })
  })

  test('drains queued messages on shutdown and runs the terminate hook', async () => {
    const actors = start()
    const events: SystemEvent[] = []
    actors.subscribe((event) => events.push(event))
    await actors.spawn('counter', counter, { mailbox: { capacity: 5000 } })
    for (let i = 0; i < 3000; i++) actors.tell('counter', 'counter.add', { by: 1 })
    const result = await actors.shutdown({ deadlineMs: 10_000 })
    system = undefined
    expect(result).toEqual({ drained: 3000, undelivered: 0, timedOut: [] })
    expect(events.filter((event) => event.type === 'actor.log')).toMatchObject([
      { actor: 'counter', event: 'counter.terminated', data: { count: 3000 } },
    ])
    expect(actors.listActors()).toEqual([])
    expect(() => actors.tell('counter', 'counter.add', { by: 1 })).toThrow(ActorNotFoundError)
  })

  test('fails messages left at the shutdown deadline as dead letters', async () => {
    const actors = start()
    await actors.spawn('counter', counter)
    const slow = rejectionOf(actors.ask('counter', 'counter.wait', { ms: 60_000 }))
    actors.tell('counter', 'counter.add', { by: 1 })
    const result = await actors.shutdown({ deadlineMs: 20 })
    system = undefined
    expect(result).toEqual({ drained: 0, undelivered: 2, timedOut: ['counter'] })
    expect(await slow).toMatchObject({ code: 'SHUTDOWN_TIMEOUT' })
    expect(actors.deadLetters().recent.map((letter) => letter.reason)).toEqual([
      'shutdown-timeout',
      'shutdown-timeout',
    ])
  })

  test('stops without restarting an actor that crashes while draining', async () => {
    const actors = start()
    const events: SystemEvent[] = []
    actors.subscribe((event) => events.push(event))
    await actors.spawn('counter', counter)
    actors.tell('counter', 'counter.add', { by: 1 })
    const crash = rejectionOf(actors.ask('counter', 'counter.crash', {}))
    const after = rejectionOf(actors.ask('counter', 'counter.add', { by: 1 }))
    const result = await actors.stop('counter', { deadlineMs: 5000 })
    expect(ActorCrashedError.is(await crash)).toBe(true)
    expect(await after).toMatchObject({ code: 'ACTOR_STOPPED' })
    expect(result.drained).toBe(1)
    expect(events.map((event) => event.type)).not.toContain('actor.restarted')
    expect(actors.has('counter')).toBe(false)
  })

  test('rejects a spawn whose init throws, failing messages sent while it started', async () => {
    const actors = start()
    const failing = {
      module: new URL('../testing/failing-init-actor-fixture.ts', import.meta.url).href,
    }
    const spawning = rejectionOf(actors.spawn('f', failing))
    await waitFor(() => actors.has('f'))
    const early = rejectionOf(actors.ask('f', 'failing.ping', {}))
    const error = await spawning
    expect(error).toMatchObject({
      code: 'ACTOR_START_FAILED',
      details: 'RangeError: failing-init needs { ok: true }',
    })
    expect(await early).toMatchObject({ code: 'ACTOR_START_FAILED' })
    expect(actors.has('f')).toBe(false)
    await actors.spawn('f', failing, { args: { ok: true } })
    expect(await actors.ask('f', 'failing.ping', {})).toBeNull()
  })

  test('refuses a module that exports no actor definition', async () => {
    const actors = start()
    const error = await rejectionOf(
      actors.spawn('x', new URL('../testing/wait-for.ts', import.meta.url).href),
    )
    expect(error).toMatchObject({ code: 'ACTOR_MODULE_INVALID' })
    expect((error as Error).message).toContain('exports no defineActor')
  })

  test('delegates names that are not spawned here to the remote router, also from actors', async () => {
    const actors = start()
    const calls: unknown[] = []
    actors.setRemoteRouter({
      has: (actor) => actor === 'far',
      ask: async (actor, type, payload, options) => {
        calls.push({ actor, type, payload, from: options.from })
        return { count: 99 }
      },
      tell: (actor, type, payload) => calls.push({ actor, type, payload }),
    })
    await actors.spawn('relay', {
      module: new URL('../testing/relay-actor-fixture.ts', import.meta.url).href,
    })
    expect(await actors.ask('relay', 'relay.add', { to: 'far', by: 3 })).toEqual({ count: 99 })
    actors.tell('far', 'counter.add', { by: 1 })
    expect(calls).toEqual([
      { actor: 'far', type: 'counter.add', payload: { by: 3 }, from: 'relay' },
      { actor: 'far', type: 'counter.add', payload: { by: 1 } },
    ])
    actors.setRemoteRouter(undefined)
    expect(() => actors.tell('far', 'counter.add', { by: 1 })).toThrow(ActorNotFoundError)
  })

  test('lets actors ask and tell each other by name through their context', async () => {
    const actors = start()
    await actors.spawn('a', counter)
    await actors.spawn('relay', {
      module: new URL('../testing/relay-actor-fixture.ts', import.meta.url).href,
    })
    expect(await actors.ask('relay', 'relay.add', { to: 'a', by: 5 })).toEqual({ count: 5 })
    expect(await actors.ask('a', 'counter.get', {})).toEqual({ count: 5 })
    const error = await rejectionOf(actors.ask('relay', 'relay.add', { to: 'ghost', by: 1 }))
    expect(error).toMatchObject({ code: 'ACTOR_NOT_FOUND' })
  })
})
