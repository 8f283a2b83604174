import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Caller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'
import { BaseError } from '../errors/base-error.ts'
import { createGateway } from './create-gateway.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import type { Guard, GuardTarget } from './gateway-guard.ts'
import { serveGateway } from './serve-gateway.ts'

const protocols: Record<string, Protocol> = {
  echo: {
    'echo.say': {
      access: 'public',
      payload: z.object({ text: z.string().max(100) }),
      reply: z.object({ text: z.string() }),
      idempotent: true,
      description: 'Echoes the text back.',
    },
    'echo.slow': { access: 'public', payload: z.object({}), reply: z.null() },
    'echo.busy': { access: 'public', payload: z.object({}), reply: z.null() },
    'echo.refuse': {
      access: 'public',
      payload: z.object({}),
      reply: z.null(),
      errors: ['ECHO_REFUSED'],
    },
  },
}

const backend: GatewayBackend = {
  protocols: () => protocols,
  async ask(_actor, type, payload) {
    if (type === 'echo.say') return payload
    if (type === 'echo.slow') throw new BaseError('ASK_TIMEOUT', 'no reply within 5 ms')
    if (type === 'echo.busy') throw new BaseError('MAILBOX_FULL', 'mailbox of echo is full')
    throw new BaseError('ECHO_REFUSED', 'echo refuses', { kind: 'application' })
  },
  actorCounters: () => ({
    echo: { received: 3, processed: 2, failed: 1, restarts: 0, mailboxDepth: 0 },
  }),
  ready: () => true,
  admin: {
    status: () => ({ host: 'test' }),
    placement: () => ({ echo: ['test'] }),
    swap: async (request) => ({ swapped: request.actor }),
  },
}

const { app } = createGateway({ backend, adminToken: 'secret-token', hostId: 'test' })

function post(path: string, body: string) {
  return app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  })
}

describe('createGateway', () => {
  test('answers a valid request with the actor’s reply', async () => {
    const response = await post('/v1/actors/echo/echo.say', JSON.stringify({ text: 'hi' }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ text: 'hi' })
  })

  test('answers 400 naming the bad field', async () => {
    const response = await post('/v1/actors/echo/echo.say', JSON.stringify({ text: 5 }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { code: string; message: string }
    expect(body.code).toBe('PROTOCOL_VIOLATION')
    expect(body.message).toContain('text')
  })

  test('answers 400 for a body that is not JSON', async () => {
    const response = await post('/v1/actors/echo/echo.say', '{nope')
    expect(response.status).toBe(400)
    expect(((await response.json()) as { code: string }).code).toBe('BAD_REQUEST')
  })

  test('answers 413 for a body above the limit', async () => {
    const small = createGateway({ backend, maxBodyBytes: 64 }).app
    const response = await small.request('/v1/actors/echo/echo.say', {
      method: 'POST',
      body: JSON.stringify({ text: 'x'.repeat(100) }),
    })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE')
  })

  test('answers 413 with a JSON body over a real socket when the declared length is too large', async () => {
    await using served = serveGateway(createGateway({ backend, maxBodyBytes: 64 }).app, {
      hostname: '127.0.0.1',
      port: 0,
    })
    const response = await fetch(`${served.url}/v1/actors/echo/echo.say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'y'.repeat(200) }),
    })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE')
  })

  test('answers 404 for an unknown actor or message', async () => {
    const actor = await post('/v1/actors/nobody/x.y', '{}')
    expect(actor.status).toBe(404)
    expect(((await actor.json()) as { code: string }).code).toBe('ACTOR_NOT_FOUND')
    const message = await post('/v1/actors/echo/echo.shout', '{}')
    expect(message.status).toBe(404)
    expect(((await message.json()) as { message: string }).message).toContain('echo.say')
  })

  test('answers 503 with Retry-After when the mailbox is full, 504 on timeout, 422 on refusal', async () => {
    const busy = await post('/v1/actors/echo/echo.busy', '{}')
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('1')
    expect((await post('/v1/actors/echo/echo.slow', '{}')).status).toBe(504)
    expect((await post('/v1/actors/echo/echo.refuse', '{}')).status).toBe(422)
  })

  test('publishes an OpenAPI document generated from the protocols', async () => {
    const document = (await (await app.request('/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        { post: { requestBody: { content: { 'application/json': { schema: unknown } } } } }
      >
    }
    expect(Object.keys(document.paths)).toContain('/v1/actors/echo/echo.say')
    expect(
      document.paths['/v1/actors/echo/echo.say']?.post.requestBody.content['application/json']
        .schema,
    ).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', maxLength: 100 } },
      required: ['text'],
    })
  })

  test('exports per-actor counters and per-route latency in Prometheus format', async () => {
    await post('/v1/actors/echo/echo.say', JSON.stringify({ text: 'm' }))
    const text = await (await app.request('/metrics')).text()
    expect(text).toContain('vigil_actor_received_total{actor="echo"} 3')
    expect(text).toMatch(
      /vigil_http_request_duration_seconds_count\{route="POST \/v1\/actors\/echo"\} \d+/,
    )
    expect(text).toContain('vigil_http_requests_total{route="POST /v1/actors/echo",status="200"}')
  })

  test('reports health and readiness', async () => {
    expect((await app.request('/healthz')).status).toBe(200)
    expect((await app.request('/readyz')).status).toBe(200)
    const starting = createGateway({ backend: { ...backend, ready: () => false } }).app
    expect((await starting.request('/readyz')).status).toBe(503)
  })

  test('guards admin routes with the bearer token', async () => {
    expect((await app.request('/v1/admin/status')).status).toBe(401)
    const wrong = await app.request('/v1/admin/status', {
      headers: { authorization: 'Bearer nope' },
    })
    expect(wrong.status).toBe(401)
    const right = await app.request('/v1/admin/status', {
      headers: { authorization: 'Bearer secret-token' },
    })
    expect(await right.json()).toEqual({ host: 'test' })
    const disabled = createGateway({ backend }).app
    expect((await disabled.request('/v1/admin/status')).status).toBe(403)
  })

  test('serves a composition’s mounts and refuses a mount that would shadow a built-in route', async () => {
    const page = new Hono().get('/', (c) => c.html('<h1>dashboard</h1>'))
    const { app } = createGateway({ backend, mounts: [{ path: '/dashboard', routes: page }] })
    const response = await app.request('/dashboard')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('<h1>dashboard</h1>')
    expect(() =>
      createGateway({ backend, mounts: [{ path: '/v1/actors/x', routes: page }] }),
    ).toThrow(/must start with \/ and not shadow/)
  })

  test('serves the same app over a real socket', async () => {
    await using served = serveGateway(app, { hostname: '127.0.0.1', port: 0 })
    const response = await fetch(`${served.url}/v1/actors/echo/echo.say`, {
      method: 'POST',
      body: JSON.stringify({ text: 'over tcp' }),
    })
    expect(await response.json()).toEqual({ text: 'over tcp' })
  })
})

describe('createGateway with a guard', () => {
  const guarded: Record<string, Protocol> = {
    vault: {
      'vault.read': {
        access: { resource: '/vault', action: 'read' },
        payload: z.object({ key: z.string() }),
        reply: z.unknown(),
      },
      'vault.info': { access: 'public', payload: z.object({}), reply: z.unknown() },
    },
  }
  const asked: { type: string; payload: unknown; caller: Caller | undefined }[] = []
  const guardedBackend: GatewayBackend = {
    ...backend,
    protocols: () => guarded,
    async ask(_actor, type, payload, options) {
      asked.push({ type, payload, caller: options.caller })
      return { ok: true }
    },
  }
  const checked: GuardTarget[] = []
  const guard: Guard = {
    authenticate(request) {
      const token = request.headers.get('authorization')
      if (token === null) return undefined
      if (token !== 'Bearer alice') throw new BaseError('AUTH_BAD_SIGNATURE', 'bad token')
      return { id: '0xa1', credential: 'alice', claims: { zone: 'z1' } }
    },
    authorize(caller, target) {
      checked.push(target)
      if (caller.claims?.zone !== 'z1') throw new BaseError('ACCESS_DENIED', 'no right')
    },
    statusByCode: { AUTH_BAD_SIGNATURE: 401, ACCESS_DENIED: 403 },
    routes: new Hono().get('/nonce', (c) => c.json({ nonce: 'n-1' })),
  }
  const guardedApp = createGateway({ backend: guardedBackend, guard }).app
  const send = (path: string, body: string, authorization?: string) =>
    guardedApp.request(path, {
      method: 'POST',
      body,
      headers: authorization === undefined ? {} : { authorization },
    })

  test('answers 401 AUTH_REQUIRED to an anonymous caller of a message that is not public, before reading its payload', async () => {
    asked.length = 0
    const response = await send('/v1/actors/vault/vault.read', '{not even json')
    expect(response.status).toBe(401)
    expect(((await response.json()) as { code: string }).code).toBe('AUTH_REQUIRED')
    expect(asked).toEqual([])
  })

  test('answers the guard’s own codes with the statuses it declares', async () => {
    const bad = await send('/v1/actors/vault/vault.read', '{"key":"k"}', 'Bearer mallory')
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ code: 'AUTH_BAD_SIGNATURE', message: 'bad token' })
    const denied = createGateway({
      backend: guardedBackend,
      guard: { ...guard, authenticate: () => ({ id: '0xb2', claims: { zone: 'z2' } }) },
    }).app
    const response = await denied.request('/v1/actors/vault/vault.read', {
      method: 'POST',
      body: '{"key":"k"}',
    })
    expect(response.status).toBe(403)
    expect(((await response.json()) as { code: string }).code).toBe('ACCESS_DENIED')
  })

  test('authorizes the declared right and passes the authenticated caller to the backend', async () => {
    asked.length = 0
    checked.length = 0
    const response = await send('/v1/actors/vault/vault.read', '{"key":"k"}', 'Bearer alice')
    expect(response.status).toBe(200)
    expect(checked).toEqual([
      { actor: 'vault', message: 'vault.read', access: { resource: '/vault', action: 'read' } },
    ])
    expect(asked).toEqual([
      {
        type: 'vault.read',
        payload: { key: 'k' },
        caller: { id: '0xa1', credential: 'alice', claims: { zone: 'z1' } },
      },
    ])
  })

  test('lets anonymous callers send public messages without authorization', async () => {
    asked.length = 0
    checked.length = 0
    expect((await send('/v1/actors/vault/vault.info', '{}')).status).toBe(200)
    expect(checked).toEqual([])
    expect(asked).toEqual([{ type: 'vault.info', payload: {}, caller: undefined }])
  })

  test('mounts the guard’s routes under /v1/auth and shows each right in OpenAPI', async () => {
    expect(await (await guardedApp.request('/v1/auth/nonce')).json()).toEqual({ nonce: 'n-1' })
    const document = (await (await guardedApp.request('/v1/openapi.json')).json()) as {
      paths: Record<string, { post: { 'x-vigil-access': unknown } }>
    }
    expect(document.paths['/v1/actors/vault/vault.read']?.post['x-vigil-access']).toEqual({
      resource: '/vault',
      action: 'read',
    })
    expect(document.paths['/v1/actors/vault/vault.info']?.post['x-vigil-access']).toBe('public')
  })
})
