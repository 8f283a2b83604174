import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { TestClock } from '../clock/test-clock.ts'
import { ActorAdmission } from './actor-admission.ts'
import { admissionConfigSchema } from './admission-config.ts'
import { LoopTurns } from './loop-turns.ts'

/** Actor routes behind per-actor admission; each answer waits until the test releases it. */
function admissionApp(config: Parameters<typeof admissionConfigSchema.parse>[0]) {
  const admission = new ActorAdmission(admissionConfigSchema.parse(config), new TestClock())
  const held: (() => void)[] = []
  const app = new Hono()
  app.post('/v1/actors/:actor/:message', admission.middleware, async (c) => {
    await new Promise<void>((resolve) => held.push(resolve))
    return c.json({ actor: c.req.param('actor') })
  })
  const post = (actor: string) => app.request(`/v1/actors/${actor}/x`, { method: 'POST' })
  return { admission, held, post }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

describe('ActorAdmission', () => {
  test('an actor with limits of its own is shed at them while the others keep the shared slots', async () => {
    const { admission, held, post } = admissionApp({
      maxInFlight: 8,
      maxQueued: 0,
      actors: { busy: { maxInFlight: 2 } },
    })
    const busy = [post('busy'), post('busy')]
    await settle()
    const refused = await post('busy')
    expect(refused.status).toBe(503)
    expect(((await refused.json()) as { code: string }).code).toBe('GATEWAY_OVERLOADED')
    const others = Array.from({ length: 8 }, () => post('echo'))
    await settle()
    expect(admission.shedderOf('busy').stats).toMatchObject({ inFlight: 2, shed: 1 })
    expect(admission.shared.stats).toMatchObject({ inFlight: 8, shed: 0 })
    for (const resolve of held.splice(0)) resolve()
    const answers = await Promise.all([...busy, ...others])
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200))
  })

  test("an actor's own limits default to the shared ones field by field", () => {
    const { admission } = admissionApp({
      maxInFlight: 8,
      maxQueued: 3,
      maxQueueMs: 7,
      actors: { busy: { maxQueued: 1 } },
    })
    expect(admission.shedderOf('busy')).not.toBe(admission.shared)
    expect(admission.shedderOf('busy').limits).toEqual({
      maxInFlight: 8,
      maxQueued: 1,
      maxQueueMs: 7,
    })
  })

  test('request paths naming other actors share one shedder and add none', () => {
    const { admission } = admissionApp({ actors: { busy: {} } })
    for (const actor of ['echo', 'nobody', '__proto__', 'constructor']) {
      expect(admission.shedderOf(actor)).toBe(admission.shared)
    }
  })

  test('refuses per-actor limits that are not positive whole numbers', () => {
    const parsed = admissionConfigSchema.safeParse({ actors: { busy: { maxInFlight: 0.5 } } })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['actors', 'busy', 'maxInFlight'])
  })
})

describe('ActorAdmission in a saturated loop', () => {
  /** Admission with loop passes driven by hand (see loop-turns.test.ts). */
  function drivenAdmission(config: Parameters<typeof admissionConfigSchema.parse>[0]) {
    let now = 0
    let endPass: (() => void) | undefined
    const parsed = admissionConfigSchema.parse(config)
    const turns = new LoopTurns({
      targetMs: parsed.targetLagMs,
      now: () => now,
      afterTurn: (callback) => {
        endPass = callback
      },
    })
    const admission = new ActorAdmission(parsed, new TestClock(), turns)
    const request = () => new Request('http://host/v1/actors/echo/echo.say', { method: 'POST' })
    /** One pass of `requests` requests over `ms`: which of them were refused before the framework. */
    const pass = (requests: number, ms: number): boolean[] => {
      const refused = Array.from(
        { length: requests },
        () => admission.refuseEarly(request()) !== undefined,
      )
      now += ms
      endPass?.()
      endPass = undefined
      return refused
    }
    return { admission, pass }
  }

  test('requests read early in a long pass are refused and the last ones, answered within the budget, are not', async () => {
    const { admission, pass } = drivenAdmission({ targetLagMs: 10, turnBudgetMs: 5 })
    pass(1000, 20)
    pass(1000, 20)
    const refused = pass(1000, 20)
    // 0.02 ms a request: from index 749 on, the rest of the pass takes at most 5 ms.
    expect(refused.indexOf(false)).toBe(749)
    expect(refused.slice(749).every((r) => !r)).toBe(true)
    expect(admission.shared.stats.shed).toBe(749)
    const answer = admission.refuseEarly(
      new Request('http://host/v1/actors/echo/echo.say', { method: 'POST' }),
    )
    if (!answer) throw new Error('the next early request was admitted')
    expect(answer.response.status).toBe(503)
    expect(answer.response.headers.get('retry-after')).toBe('1')
    expect(((await answer.response.json()) as { code: string }).code).toBe('GATEWAY_OVERLOADED')
  })

  test('the last minInFlight requests of a long pass are never refused, however much they cost', () => {
    const { pass } = drivenAdmission({ targetLagMs: 10, turnBudgetMs: 5, minInFlight: 64 })
    // 32 requests taking 1 ms each (large bodies, say): saturated, but fewer than the floor.
    for (let i = 0; i < 3; i++) expect(pass(32, 32).some((r) => r)).toBe(false)
    // 100 such: all but the last 64 are refused.
    pass(100, 100)
    expect(pass(100, 100).lastIndexOf(true)).toBe(35)
  })

  test('a burst of one long pass, short passes and the budget or target at 0 refuse nothing', () => {
    const burst = drivenAdmission({ targetLagMs: 10, turnBudgetMs: 5 })
    burst.pass(10, 0.2)
    expect(burst.pass(1000, 20).some((r) => r)).toBe(false)
    expect(burst.pass(1000, 20).some((r) => r)).toBe(false)
    for (const config of [
      { targetLagMs: 10, turnBudgetMs: 0 },
      { targetLagMs: 0, turnBudgetMs: 5 },
    ]) {
      const off = drivenAdmission(config)
      for (let i = 0; i < 3; i++) expect(off.pass(1000, 20).some((r) => r)).toBe(false)
    }
  })
})
