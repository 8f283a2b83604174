/**
 * The HTTP gateway every host runs (Hono; served by Bun.serve in
 * serve-gateway.ts, tested in-process with `app.request()`):
 *
 * - `POST /v1/actors/{actor}/{message}`: JSON body → the actor's reply as JSON;
 * - `GET /v1/openapi.json`: generated from the deployed protocols;
 * - `GET /healthz` (the process serves), `GET /readyz` (joined and actors started);
 * - `GET /metrics`: Prometheus text, per-actor counters and per-route latency;
 * - `/v1/admin/*`: operator actions, only with the bearer token from the admin token file.
 *
 * Errors are `{code, message}` with the status from error-response.ts.
 */
import { timingSafeEqual } from 'node:crypto'
import { type Context, Hono } from 'hono'
import { BaseError } from '../errors/base-error.ts'
import { errorResponse } from './error-response.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import { openApiDocument } from './openapi-document.ts'
import { escapeLabel, RouteMetrics } from './route-metrics.ts'

export type GatewayOptions = {
  backend: GatewayBackend
  /** Default request timeout, ms; a client may lower it with `x-vigil-timeout-ms`. Default 5,000. */
  requestTimeoutMs?: number | undefined
  /** Bearer token for `/v1/admin/*`; admin routes answer 403 without one. */
  adminToken?: string | undefined
  /** Largest request body accepted, bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number | undefined
  /** Host id, for the OpenAPI title and /healthz. */
  hostId?: string | undefined
}

class BadRequestError extends BaseError {
  static override readonly code = 'BAD_REQUEST'
  constructor(message: string) {
    super(BadRequestError.code, message, { kind: 'application' })
  }
}

class PayloadTooLargeError extends BaseError {
  static override readonly code = 'PAYLOAD_TOO_LARGE'
  constructor(limit: number) {
    super(
      PayloadTooLargeError.code,
      `request body exceeds ${limit} bytes; send a smaller payload`,
      {
        kind: 'application',
        meta: { limit },
      },
    )
  }
}

class UnauthorizedError extends BaseError {
  static override readonly code = 'UNAUTHORIZED'
  constructor(message: string) {
    super(UnauthorizedError.code, message, { kind: 'application' })
  }
}

function fail(c: Context, error: unknown): Response {
  const response = errorResponse(error)
  for (const [name, value] of Object.entries(response.headers)) c.header(name, value)
  return c.json(response.body, response.status as 400)
}

/** Builds the gateway app. */
export function createGateway(options: GatewayOptions) {
  const { backend } = options
  const defaultTimeoutMs = options.requestTimeoutMs ?? 5000
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const metrics = new RouteMetrics()
  const app = new Hono()
  let openApi: { protocols: unknown; document: Record<string, unknown> } | undefined

  app.use(async function measure(c, next) {
    const started = performance.now()
    await next()
    const actor = c.req.param('actor')
    const route =
      actor !== undefined && Object.hasOwn(backend.protocols(), actor)
        ? `POST /v1/actors/${actor}`
        : `${c.req.method} ${c.req.routePath}`
    metrics.observe(route, c.res.status, (performance.now() - started) / 1000)
  })

  app.post('/v1/actors/:actor/:message', async function actorRequest(c) {
    const actor = c.req.param('actor')
    const message = c.req.param('message')
    try {
      const protocol = backend.protocols()[actor]
      if (!protocol || !Object.hasOwn(backend.protocols(), actor)) {
        return fail(
          c,
          Object.assign(
            new BaseError(
              'ACTOR_NOT_FOUND',
              `No actor named '${actor}' is deployed; see /v1/openapi.json`,
              {
                meta: { actor },
              },
            ),
          ),
        )
      }
      const spec = Object.hasOwn(protocol, message) ? protocol[message] : undefined
      if (!spec) {
        const known = Object.keys(protocol)
        return fail(
          c,
          new BaseError(
            'PROTOCOL_VIOLATION',
            `'${message}' is not a message of actor '${actor}'; known: ${known.join(', ')}`,
            { kind: 'application', meta: { actor, type: message, knownTypes: known } },
          ),
        )
      }
      if (Number(c.req.header('content-length') ?? 0) > maxBodyBytes) {
        throw new PayloadTooLargeError(maxBodyBytes)
      }
      let body: unknown
      let text: string
      try {
        text = await c.req.text()
      } catch {
        throw new BadRequestError('request body could not be read')
      }
      // Chunked bodies carry no length header: check what arrived.
      if (text.length > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes)
      try {
        body = text.length === 0 ? undefined : JSON.parse(text)
      } catch {
        throw new BadRequestError(
          'request body is not valid JSON; send the payload as a JSON document',
        )
      }
      const parsed = spec.payload.safeParse(body)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.length > 0 ? issue.path.join('.') : '(payload)',
          message: issue.message,
        }))
        throw new BaseError(
          'PROTOCOL_VIOLATION',
          `payload of '${message}' to actor '${actor}' is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          { kind: 'application', meta: { actor, type: message, issues } },
        )
      }
      const header = c.req.header('x-vigil-timeout-ms')
      const requested = header === undefined ? Number.NaN : Number(header)
      const timeoutMs =
        Number.isFinite(requested) && requested > 0
          ? Math.min(requested, defaultTimeoutMs)
          : defaultTimeoutMs
      const reply = await backend.ask(actor, message, parsed.data, { timeoutMs })
      return c.json(reply === undefined ? null : (reply as object))
    } catch (error) {
      return fail(c, error)
    }
  })

  app.get('/v1/openapi.json', (c) => {
    const protocols = backend.protocols()
    if (openApi?.protocols !== protocols) {
      openApi = {
        protocols,
        document: openApiDocument(protocols, {
          title: `vigil gateway (${options.hostId ?? 'host'})`,
        }),
      }
    }
    return c.json(openApi.document)
  })

  app.get('/healthz', (c) => c.json({ status: 'ok', host: options.hostId ?? null }))

  app.get('/readyz', (c) =>
    backend.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'starting' }, 503),
  )

  app.get('/metrics', (c) => {
    const lines: string[] = []
    const counters = backend.actorCounters()
    const families: [string, string, 'counter' | 'gauge', keyof (typeof counters)[string]][] = [
      ['vigil_actor_received_total', 'Messages received by the actor.', 'counter', 'received'],
      ['vigil_actor_processed_total', 'Messages the actor processed.', 'counter', 'processed'],
      ['vigil_actor_failed_total', 'Messages whose handling failed.', 'counter', 'failed'],
      ['vigil_actor_restarts_total', 'Restarts of the actor.', 'counter', 'restarts'],
      ['vigil_actor_mailbox_depth', 'Messages waiting in the mailbox.', 'gauge', 'mailboxDepth'],
    ]
    for (const [name, help, type, field] of families) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
      for (const [actor, values] of Object.entries(counters)) {
        lines.push(`${name}{actor="${escapeLabel(actor)}"} ${values[field]}`)
      }
    }
    lines.push(...metrics.render())
    return c.text(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4' })
  })

  const admin = new Hono()
  admin.use(async function authenticate(c, next) {
    if (!options.adminToken || !backend.admin) {
      return fail(
        c,
        new BaseError(
          'ADMIN_DISABLED',
          'admin routes are disabled on this host: set adminTokenFile',
          {
            kind: 'application',
          },
        ),
      )
    }
    const presented = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? ''
    const expected = Buffer.from(options.adminToken)
    const given = Buffer.from(presented)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return fail(
        c,
        new UnauthorizedError('missing or wrong admin token; pass Authorization: Bearer <token>'),
      )
    }
    await next()
  })
  admin.get('/status', async (c) => c.json((await backend.admin?.status()) as object))
  admin.get('/placement', async (c) => c.json((await backend.admin?.placement()) as object))
  admin.post('/swap', async (c) => {
    try {
      const body = (await c.req.json().catch(() => undefined)) as
        | { actor?: unknown; module?: unknown; export?: unknown }
        | undefined
      if (typeof body?.actor !== 'string' || typeof body.module !== 'string') {
        throw new BadRequestError('send {"actor": "<name>", "module": "<path>"} as JSON')
      }
      const result = await backend.admin?.swap({
        actor: body.actor,
        module: body.module,
        export: typeof body.export === 'string' ? body.export : undefined,
      })
      return c.json(result as object)
    } catch (error) {
      return fail(c, error)
    }
  })
  app.route('/v1/admin', admin)

  app.notFound((c) =>
    fail(
      c,
      new BaseError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}; see /v1/openapi.json`, {
        kind: 'application',
      }),
    ),
  )
  app.onError((error, c) => fail(c, error))

  return { app, metrics }
}
