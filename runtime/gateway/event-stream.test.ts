import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import type { Caller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'
import { BaseError } from '../errors/base-error.ts'
import { readEvents } from '../testing/index.ts'
import { createGateway } from './create-gateway.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import type { Guard } from './gateway-guard.ts'

const protocols: Record<string, Protocol> = {
  news: {
    'news.feed': {
      access: { resource: '/news', action: 'read' },
      payload: z.object({ after: z.number().int().default(0) }),
      reply: z.unknown(),
    },
    'news.count': { access: 'public', payload: z.object({}), reply: z.unknown() },
  },
}
const items = [
  { seq: 1, title: 'one' },
  { seq: 2, title: 'two' },
  { seq: 3, title: 'three' },
]
const asked: { payload: unknown; caller: Caller | undefined }[] = []
const backend: GatewayBackend = {
  protocols: () => protocols,
  async ask(_actor, type, payload, options) {
    asked.push({ payload, caller: options.caller })
    if (type === 'news.count') return { count: 3 }
    const after = (payload as { after: number }).after
    const events = items.filter((i) => i.seq > after).slice(0, 2)
    return { events, cursor: events.at(-1)?.seq ?? after }
  },
  actorCounters: () => ({}),
  ready: () => true,
}
const guard: Guard = {
  authenticate(request) {
    const token = request.headers.get('authorization')
    if (token === null) return undefined
    return { id: token === 'Bearer reader' ? '0xreader' : '0xother' }
  },
  authorize(caller) {
    if (caller.id !== '0xreader') throw new BaseError('ACCESS_DENIED', 'no right to read news')
  },
  statusByCode: { ACCESS_DENIED: 403 },
}
const { app } = createGateway({ backend, guard, eventPollMs: 5 })

describe('GET /v1/events/{actor}/{message}', () => {
  test('streams a feed as server-sent events on the authorized caller’s behalf, across several asks', async () => {
    asked.length = 0
    const response = await app.request('/v1/events/news/news.feed', {
      headers: { authorization: 'Bearer reader' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const events = await readEvents(response, 3)
    expect(events.map((e) => e.data)).toEqual(items)
    expect(events.map((e) => e.id)).toEqual(['2', '2', '3'])
    expect(asked[0]).toEqual({ payload: { after: 0 }, caller: { id: '0xreader' } })
    expect(asked[1]?.payload).toEqual({ after: 2 })
  })

  test('resumes after Last-Event-ID', async () => {
    const response = await app.request('/v1/events/news/news.feed', {
      headers: { authorization: 'Bearer reader', 'last-event-id': '2' },
    })
    expect((await readEvents(response, 1)).map((e) => e.data)).toEqual([items[2]])
  })

  test('refuses before streaming: anonymous 401, a caller without the right 403', async () => {
    asked.length = 0
    const anonymous = await app.request('/v1/events/news/news.feed')
    expect(anonymous.status).toBe(401)
    const other = await app.request('/v1/events/news/news.feed', {
      headers: { authorization: 'Bearer someone' },
    })
    expect(other.status).toBe(403)
    expect(((await other.json()) as { code: string }).code).toBe('ACCESS_DENIED')
    expect(asked).toEqual([])
  })

  test('answers 400 for a message that is not a feed', async () => {
    const response = await app.request('/v1/events/news/news.count', {
      headers: { authorization: 'Bearer reader' },
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toContain('is not a feed')
  })
})
