import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { TestClock } from '../clock/test-clock.ts'
import { ActorAdmission } from './actor-admission.ts'
import { admissionConfigSchema } from './admission-config.ts'

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
