import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Protocol } from '../actor/define-actor.ts'
import { TestClock } from '../clock/test-clock.ts'
import { waitFor } from '../testing/index.ts'
import { admissionConfigSchema } from './admission-config.ts'
import { createGateway } from './create-gateway.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import { LoadShedder, type LoopAdaptation } from './load-shedder.ts'
import { LoopLagMonitor } from './loop-lag-monitor.ts'
import { serveGateway } from './serve-gateway.ts'

const protocols: Record<string, Protocol> = {
  echo: {
    'echo.say': {
      access: 'public',
      payload: z.object({ n: z.number() }),
      reply: z.object({ n: z.number() }),
    },
  },
}

/** A backend whose replies wait until the test opens the gate. */
function gatedBackend() {
  let open = false
  const waiting: (() => void)[] = []
  const backend: GatewayBackend = {
    protocols: () => protocols,
    async ask(_actor, _type, payload) {
      if (!open) await new Promise<void>((resolve) => waiting.push(resolve))
      return payload
    },
    actorCounters: () => ({}),
    ready: () => true,
    admin: { status: () => ({}), placement: () => ({}), swap: async () => ({}) },
  }
  return {
    backend,
    waiting: () => waiting.length,
    release() {
      open = true
      for (const resolve of waiting.splice(0)) resolve()
    },
  }
}

/** A bare Hono app behind a shedder; its handler answers when the test releases it. */
function shedApp(
  config: Parameters<typeof admissionConfigSchema.parse>[0],
  clock: TestClock,
  adaptation?: LoopAdaptation,
) {
  const shedder = new LoadShedder(admissionConfigSchema.parse(config), clock, adaptation)
  const held: (() => void)[] = []
  const app = new Hono()
  app.use('/work', shedder.middleware)
  app.post('/work', async (c) => {
    await new Promise<void>((resolve) => held.push(resolve))
    return c.json({ ok: true })
  })
  const post = () => app.request('/work', { method: 'POST', body: '{}' })
  return { shedder, held, post }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

describe('LoadShedder', () => {
  test('sheds with 503, Retry-After and GATEWAY_OVERLOADED once slots and queue are full', async () => {
    const clock = new TestClock()
    const { shedder, held, post } = shedApp({ maxInFlight: 2, maxQueued: 1 }, clock)
    const accepted = [post(), post(), post()]
    await settle()
    const refused = await post()
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    const body = (await refused.json()) as { code: string; message: string }
    expect(body.code).toBe('GATEWAY_OVERLOADED')
    expect(body.message).toContain('retry')
    expect(shedder.stats).toMatchObject({ inFlight: 2, queued: 1, shed: 1 })
    // Releasing the two in flight admits the queued one; every accepted request is answered.
    for (const resolve of held.splice(0)) resolve()
    await settle()
    expect(shedder.stats).toMatchObject({ inFlight: 1, queued: 0 })
    for (const resolve of held.splice(0)) resolve()
    expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200])
    expect(shedder.stats).toMatchObject({ inFlight: 0, admitted: 3, shed: 1 })
  })

  test('a request without a free slot would queue, unless the caller sees the loop saturated', async () => {
    const clock = new TestClock()
    const { shedder, held, post } = shedApp({ maxInFlight: 1, maxQueued: 4 }, clock)
    const first = post()
    await settle()
    expect(shedder.refuseEarly()).toBeUndefined()
    const refused = shedder.refuseEarly(true)
    expect(refused?.status).toBe(503)
    expect(shedder.stats).toMatchObject({ inFlight: 1, queued: 0, shed: 1 })
    for (const resolve of held.splice(0)) resolve()
    expect((await first).status).toBe(200)
    expect(shedder.refuseEarly(true)).toBeUndefined()
  })

  test('sheds a queued request whose wait exceeds the queue budget', async () => {
    const clock = new TestClock()
    const { shedder, held, post } = shedApp({ maxInFlight: 1, maxQueued: 4, maxQueueMs: 20 }, clock)
    const first = post()
    await settle()
    const queued = post()
    await settle()
    clock.advance(19)
    await settle()
    expect(shedder.stats.queued).toBe(1)
    clock.advance(1)
    expect((await queued).status).toBe(503)
    for (const resolve of held.splice(0)) resolve()
    expect((await first).status).toBe(200)
    expect(shedder.stats).toMatchObject({ inFlight: 0, queued: 0, admitted: 1, shed: 1 })
  })

  test('admits at once again when the load drops', async () => {
    const clock = new TestClock()
    const { held, post } = shedApp({ maxInFlight: 1, maxQueued: 0 }, clock)
    const first = post()
    await settle()
    expect((await post()).status).toBe(503)
    for (const resolve of held.splice(0)) resolve()
    expect((await first).status).toBe(200)
    const next = post()
    await settle()
    for (const resolve of held.splice(0)) resolve()
    expect((await next).status).toBe(200)
  })
})

describe('LoadShedder on a saturated event loop', () => {
  /** A shedder whose loop monitor samples a clock that runs timers `late` ms after they are due. */
  function lateShedApp() {
    const clock = new TestClock()
    let late = 0
    const lateClock = {
      now: () => clock.now(),
      setTimeout: (callback: () => void, ms: number) => clock.setTimeout(callback, ms + late),
      clearTimeout: (handle: Parameters<TestClock['clearTimeout']>[0]) =>
        clock.clearTimeout(handle),
    }
    const loop = new LoopLagMonitor(lateClock, { sampleMs: 10, intervalMs: 100 })
    const app = shedApp({ maxInFlight: 4, maxQueued: 4, maxQueueMs: 1000 }, clock, {
      loop,
      minInFlight: 2,
      targetLagMs: 10,
    })
    return { ...app, clock, setLate: (ms: number) => (late = ms) }
  }

  test('cuts the in-flight limit, refuses the queued and new requests at once, and restores the limit when the loop is on time', async () => {
    const { shedder, held, post, clock, setLate } = lateShedApp()
    // Every sample 30 ms late for a whole interval: the loop is saturated.
    setLate(30)
    const accepted = [post(), post(), post(), post()]
    const queued = post()
    await settle()
    expect(shedder.stats).toMatchObject({ inFlight: 4, queued: 1, limit: 4 })
    clock.advance(150)
    await settle()
    expect(shedder.stats.limit).toBe(2)
    expect((await queued).status).toBe(503)
    // The queue has room, but a saturated loop queues nothing.
    expect((await post()).status).toBe(503)
    for (const resolve of held.splice(0)) resolve()
    expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200, 200])
    // Intervals on time, with requests, grow the limit back to maxInFlight.
    setLate(0)
    const next = post()
    for (let ms = 0; ms < 400 && shedder.stats.limit < 4; ms += 10) {
      clock.advance(10)
      void Promise.resolve(post())
      await settle()
    }
    expect(shedder.stats.limit).toBe(4)
    for (const resolve of held.splice(0)) resolve()
    expect((await next).status).toBe(200)
  })
})

describe('a gateway with a small admission limit', () => {
  test('sheds concurrent load with 503 + Retry-After, loses no accepted request and serves right after', async () => {
    const gate = gatedBackend()
    const gateway = createGateway({
      backend: gate.backend,
      admission: admissionConfigSchema.parse({ maxInFlight: 4, maxQueued: 4, maxQueueMs: 60_000 }),
    })
    // Served as a host serves it: refusals are answered before Hono runs.
    await using served = serveGateway(gateway, { hostname: '127.0.0.1', port: 0 })
    const send = (n: number) =>
      fetch(`${served.url}/v1/actors/echo/echo.say`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      })
    const responses = Array.from({ length: 40 }, (_, n) => send(n))
    const settled: number[] = []
    for (const response of responses) response.then((r) => settled.push(r.status))
    // Four in flight and four queued; the other 32 are answered 503 without waiting.
    await waitFor(() => settled.length === 32 && gate.waiting() === 4)
    expect(settled.every((status) => status === 503)).toBe(true)
    // Health stays outside admission control.
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200)
    gate.release()
    const all = await Promise.all(responses)
    const accepted = all.filter((r) => r.status === 200)
    expect(accepted.length).toBe(8)
    const echoed = await Promise.all(accepted.map((r) => r.json() as Promise<{ n: number }>))
    expect(new Set(echoed.map((e) => e.n)).size).toBe(8)
    for (const r of all.filter((r) => r.status === 503)) {
      expect(r.headers.get('retry-after')).toBe('1')
      expect(((await r.json()) as { code: string }).code).toBe('GATEWAY_OVERLOADED')
    }
    const after = await send(99)
    expect(after.status).toBe(200)
    expect(await after.json()).toEqual({ n: 99 })
    // Every refusal is counted, by the shedder and in the route metrics.
    expect(gateway.shedder.stats.shed).toBe(32)
    const metrics = await (await fetch(`${served.url}/metrics`)).text()
    expect(metrics).toMatch(/POST \/v1\/actors\/echo".*"503".* 32/)
  })
})
