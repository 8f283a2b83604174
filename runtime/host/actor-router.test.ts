import { describe, expect, test } from 'bun:test'
import { TestClock } from '../clock/test-clock.ts'
import { BaseError } from '../errors/base-error.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import {
  ActorRouter,
  type LocalActors,
  type PeerConnections,
  ROUTE_RETRY_MS,
  type RoutingTable,
} from './actor-router.ts'
import type { ActorPlacement } from './place-actors.ts'

const notified: { hostId: string; method: string; body: unknown }[] = []

type Reply = (body: { actor: string; type: string }) => Promise<unknown>

function fakeConnection(hostId: string, reply: Reply): RpcConnection {
  return {
    isOpen: true,
    peer: { hostId, role: 'edge', publicKey: '' },
    request: (_method: string, body: { actor: string; type: string }) => reply(body),
    notify(method: string, body: unknown) {
      notified.push({ hostId, method, body })
    },
  } as unknown as RpcConnection
}

/** The router's three collaborators, flattened so each test overrides only what it needs. */
type Flat = {
  isDeployed: RoutingTable['isDeployed']
  placementOf: RoutingTable['placementOf']
  isIdempotent: RoutingTable['isIdempotent']
  isLocal: (actor: string) => boolean
  isServing: (actor: string) => boolean
  localAsk: (...args: unknown[]) => Promise<unknown>
  localTell: (...args: unknown[]) => void
  connectionTo: PeerConnections['connectionTo']
  isSuspect: PeerConnections['isSuspect']
}

function setup(
  overrides: Partial<Flat> & { hosts: Record<string, string[]>; maxWaiting?: number },
) {
  const clock = new TestClock()
  const placement: Record<string, ActorPlacement> = Object.fromEntries(
    Object.entries(overrides.hosts).map(([actor, hosts]) => [
      actor,
      { actor, hosts, tier: 'preferred' as const },
    ]),
  )
  const flat: Flat = {
    isDeployed: (actor) => actor in placement,
    placementOf: (actor) => placement[actor],
    isLocal: () => false,
    isServing: () => true,
    localAsk: async () => 'local',
    localTell: () => {},
    connectionTo: () => undefined,
    isSuspect: () => false,
    isIdempotent: () => false,
    ...overrides,
  }
  const router = new ActorRouter({
    selfId: 'fog-1',
    clock,
    requestTimeoutMs: 1000,
    maxWaiting: overrides.maxWaiting ?? 100,
    log: () => {},
    table: flat,
    local: {
      has: (actor) => flat.isLocal(actor),
      serving: (actor) => flat.isServing(actor),
      ask: ((...args: unknown[]) => flat.localAsk(...args)) as LocalActors['ask'],
      tell: (...args) => flat.localTell(...args),
    },
    peers: flat,
  })
  /** Runs `promise` to completion, moving the test clock while it waits between attempts. */
  async function drive<Value>(
    promise: Promise<Value>,
  ): Promise<{ value?: Value; error?: unknown }> {
    let outcome: { value?: Value; error?: unknown } | undefined
    promise.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    )
    for (let i = 0; i < 1000 && !outcome; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(ROUTE_RETRY_MS)
    }
    return outcome ?? { error: new Error('never settled') }
  }
  return { clock, router, placement, drive }
}

const closed = () => Promise.reject(new BaseError('RPC_CONNECTION_CLOSED', 'connection closed'))

describe('ActorRouter', () => {
  test('retries a request that was not delivered on the next host of the placement', async () => {
    const calls: string[] = []
    const { router, placement, drive } = setup({
      hosts: { echo: ['edge-1'] },
      connectionTo: (host) =>
        fakeConnection(host, async () => {
          calls.push(host)
          if (host === 'edge-1') {
            // edge-1 gave the actor up; the placement now says edge-2.
            placement.echo = { actor: 'echo', hosts: ['edge-2'], tier: 'same-role' }
            throw new BaseError('PLACEMENT_STALE', 'not here')
          }
          return { from: host }
        }),
    })
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: { from: 'edge-2' } })
    expect(calls).toEqual(['edge-1', 'edge-2'])
  })

  test('retries an idempotent request cut off by a lost connection', async () => {
    let attempts = 0
    const { router, drive } = setup({
      hosts: { echo: ['edge-1'] },
      isIdempotent: () => true,
      connectionTo: (host) =>
        fakeConnection(host, () => (++attempts === 1 ? closed() : Promise.resolve('ok'))),
    })
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: 'ok' })
    expect(attempts).toBe(2)
  })

  test('does not retry a non-idempotent request that may have run', async () => {
    let attempts = 0
    const { router, drive } = setup({
      hosts: { counter: ['edge-1'] },
      connectionTo: (host) =>
        fakeConnection(host, () => {
          attempts++
          return closed()
        }),
    })
    const { error } = await drive(router.ask('counter', 'counter.add', {}))
    expect(error).toMatchObject({ code: 'HOST_UNAVAILABLE', meta: { maybeDelivered: true } })
    expect(attempts).toBe(1)
  })

  test('gives up at the deadline when no host is reachable', async () => {
    const { router, drive, clock } = setup({ hosts: { echo: ['edge-1'] } })
    const started = clock.now()
    const { error } = await drive(router.ask('echo', 'echo.say', {}, { timeoutMs: 200 }))
    expect(error).toMatchObject({ code: 'HOST_UNAVAILABLE', meta: { maybeDelivered: false } })
    expect(clock.now() - started).toBeLessThanOrEqual(200 + ROUTE_RETRY_MS)
  })

  test('reports an actor no host may run', async () => {
    const { router, drive } = setup({ hosts: { pinned: [] } })
    const { error } = await drive(router.ask('pinned', 'x.y', {}, { timeoutMs: 100 }))
    expect(error).toMatchObject({ code: 'PLACEMENT_NO_HOST' })
  })

  test('spreads requests over replicas and avoids suspect hosts', async () => {
    const served: string[] = []
    const { router, drive } = setup({
      hosts: { echo: ['edge-1', 'edge-2', 'edge-3'] },
      isSuspect: (host) => host === 'edge-3',
      connectionTo: (host) => fakeConnection(host, async () => served.push(host)),
    })
    for (let i = 0; i < 4; i++) await drive(router.ask('echo', 'echo.say', {}))
    expect(served.sort()).toEqual(['edge-1', 'edge-1', 'edge-2', 'edge-2'])
  })

  test('passes the actor’s own errors through without retrying', async () => {
    let attempts = 0
    const { router, drive } = setup({
      hosts: { echo: ['edge-1'] },
      isIdempotent: () => true,
      connectionTo: (host) =>
        fakeConnection(host, () => {
          attempts++
          return Promise.reject(new BaseError('ECHO_REFUSED', 'no', { kind: 'application' }))
        }),
    })
    expect((await drive(router.ask('echo', 'echo.say', {}))).error).toMatchObject({
      code: 'ECHO_REFUSED',
    })
    expect(attempts).toBe(1)
  })

  test('answers from its own replica while that replica serves', async () => {
    const { router, drive } = setup({
      hosts: { echo: ['fog-1', 'edge-1'] },
      isLocal: (actor) => actor === 'echo',
      connectionTo: (host) => fakeConnection(host, async () => `from ${host}`),
    })
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: 'local' })
    expect(router.counters).toMatchObject({ local: 1, remote: 0 })
  })

  test('sends a request to a live replica on another host while its own replica restarts', async () => {
    let serving = false
    const { router, drive } = setup({
      hosts: { echo: ['fog-1', 'edge-1', 'edge-2'] },
      isLocal: (actor) => actor === 'echo',
      isServing: () => serving,
      isSuspect: (host) => host === 'edge-1',
      connectionTo: (host) => fakeConnection(host, async () => `from ${host}`),
    })
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: 'from edge-2' })
    serving = true
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: 'local' })
    expect(router.counters).toMatchObject({ local: 1, remote: 1 })
  })

  test('queues at its own restarting replica when no other host that runs it is connected', async () => {
    const { router, drive } = setup({
      hosts: { echo: ['fog-1', 'edge-1'] },
      isLocal: (actor) => actor === 'echo',
      isServing: () => false,
    })
    expect(await drive(router.ask('echo', 'echo.say', {}))).toEqual({ value: 'local' })
  })

  test('sends one-way messages to a host that runs the actor, and refuses when none is reachable', () => {
    notified.length = 0
    const { router } = setup({
      hosts: { echo: ['edge-1'], lost: ['edge-9'] },
      connectionTo: (host) =>
        host === 'edge-1' ? fakeConnection(host, async () => null) : undefined,
    })
    router.tell('echo', 'echo.say', { text: 'x' })
    expect(notified).toEqual([
      {
        hostId: 'edge-1',
        method: 'actor.tell',
        body: { actor: 'echo', type: 'echo.say', payload: { text: 'x' } },
      },
    ])
    expect(() => router.tell('lost', 'x.y', {})).toThrow(/No host could serve 'lost'/)
  })
  test('lets one waiting request try per retry interval while no host is reachable, then releases the rest oldest first', async () => {
    let reachable = false
    let lookups = 0
    const answered: number[] = []
    const { router, clock } = setup({
      hosts: { echo: ['edge-2'] },
      connectionTo: (host) => {
        lookups++
        return reachable ? fakeConnection(host, async () => 'ok') : undefined
      },
    })
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    const asks = Array.from({ length: 20 }, (_, i) =>
      router.ask('echo', 'echo.say', {}).then(() => answered.push(i)),
    )
    await turn()
    expect(lookups).toBe(20)
    expect(router.waiting).toBe(20)
    for (let tick = 0; tick < 10; tick++) {
      clock.advance(ROUTE_RETRY_MS)
      await turn()
    }
    // One probe per interval, not twenty.
    expect(lookups).toBe(30)
    reachable = true
    clock.advance(ROUTE_RETRY_MS)
    await Promise.all(asks)
    expect(router.waiting).toBe(0)
    expect(answered).toEqual([...answered].sort((a, b) => a - b))
    expect(answered).toHaveLength(20)
  })

  test('fails a request at once with HOST_UNAVAILABLE when the waiting queue is full', async () => {
    const { router, drive } = setup({ hosts: { echo: ['edge-2'] }, maxWaiting: 3 })
    const waiting = Array.from({ length: 3 }, () =>
      router.ask('echo', 'echo.say', {}, { timeoutMs: 10_000 }).catch((error: unknown) => error),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(router.waiting).toBe(3)
    const { error } = await drive(router.ask('echo', 'echo.say', {}, { timeoutMs: 10_000 }))
    expect(error).toMatchObject({ code: 'HOST_UNAVAILABLE', meta: { maybeDelivered: false } })
    expect(String((error as Error).message)).toMatch(/3 requests already wait for a host/)
    await drive(Promise.all(waiting))
  })
})
