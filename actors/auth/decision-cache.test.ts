import { describe, expect, test } from 'bun:test'
import { TestClock } from '../../runtime/index.ts'
import { type AccessDecision, DecisionCache } from './decision-cache.ts'

function setup(answer: (now: number) => AccessDecision) {
  const clock = new TestClock(1000)
  let asks = 0
  const cache = new DecisionCache({
    clock,
    check: async () => {
      asks++
      return answer(clock.now())
    },
  })
  return { clock, cache, asks: () => asks }
}

describe('DecisionCache', () => {
  test('reuses a grant for at most 100 ms even when access-control allows longer', async () => {
    const { clock, cache, asks } = setup((now) => ({ allowed: true, validUntilMs: now + 60_000 }))
    await cache.decide('0xa', '/echo', 'read')
    clock.advance(99)
    expect(cache.cached('0xa', '/echo', 'read')?.allowed).toBe(true)
    clock.advance(1)
    expect(cache.cached('0xa', '/echo', 'read')).toBeUndefined()
    await cache.decide('0xa', '/echo', 'read')
    expect(asks()).toBe(2)
  })

  test("honours a decision's own shorter validity (a time-window condition ending)", async () => {
    const { clock, cache } = setup((now) => ({ allowed: true, validUntilMs: now + 10 }))
    await cache.decide('0xa', '/echo', 'read')
    clock.advance(10)
    expect(cache.cached('0xa', '/echo', 'read')).toBeUndefined()
  })

  test('shares one ask between concurrent misses for the same key', async () => {
    const { cache, asks } = setup((now) => ({
      allowed: false,
      code: 'ACCESS_DENIED',
      validUntilMs: now + 500,
    }))
    await Promise.all([1, 2, 3].map(() => cache.decide('0xa', '/echo', 'read')))
    expect(asks()).toBe(1)
  })

  test('forgets every decision about a subject on request', async () => {
    const { cache } = setup((now) => ({ allowed: true, validUntilMs: now + 50 }))
    await cache.decide('0xa', '/echo', 'read')
    cache.forget('0xa')
    expect(cache.cached('0xa', '/echo', 'read')).toBeUndefined()
  })
})
