/**
 * The HTTP gateway every host runs (Hono; served by Bun.serve in
 * serve-gateway.ts, tested in-process with `app.request()`):
 *
 * - `POST /v1/actors/{actor}/{message}`: JSON body → the actor's reply as JSON
 *   (actor-request.ts; with a {@link Guard}, authenticated and authorized first);
 * - `GET /v1/events/{actor}/{message}`: a feed message as server-sent events,
 *   admitted as a POST of that message would be (event-stream.ts);
 * - `/v1/auth/*`: the guard's own routes (sign-in etc.), when it has any;
 * - `GET /v1/openapi.json`: generated from the deployed protocols;
 * - `GET /healthz` (the process serves), `GET /readyz` (joined and actors started);
 * - `GET /metrics`: Prometheus text, per-actor counters and per-route latency;
 * - `/v1/admin/*`: operator actions, only with the bearer token from the admin token file;
 * - the composition's mounts (gateway-mount.ts), each authenticating its own requests.
 *
 * Errors are `{code, message}` with the status from error-response.ts (plus
 * the guard's `statusByCode`). Without a guard every message is open, as a
 * bare kernel's tests need; a host composition injects one.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { ActorAdmission } from './actor-admission.ts'
import { actorRequest } from './actor-request.ts'
import { adminRoutes } from './admin-routes.ts'
import { type AdmissionConfig, admissionConfigSchema } from './admission-config.ts'
import { PayloadTooLargeError, RouteNotFoundError } from './errors.ts'
import { eventStream } from './event-stream.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import type { Guard } from './gateway-guard.ts'
import type { GatewayMount } from './gateway-mount.ts'
import { metricsText } from './metrics-text.ts'
import { openApiDocument } from './openapi-document.ts'
import { RouteMetrics } from './route-metrics.ts'
import { sendError } from './send-error.ts'

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
  /** Who may send what; without one the gateway is open. */
  guard?: Guard | undefined
  /** Admission control of actor requests (actor-admission.ts); defaults from admissionConfigSchema. */
  admission?: AdmissionConfig | undefined
  /** How often `/v1/events/*` asks an idle feed again, ms. Default 250. */
  eventPollMs?: number | undefined
  /** Extra apps served beside the built-in routes (gateway-mount.ts). */
  mounts?: readonly GatewayMount[] | undefined
}

/** Builds the gateway app. */
export function createGateway(options: GatewayOptions) {
  const { backend, guard } = options
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const statusByCode = guard?.statusByCode ?? {}
  const metrics = new RouteMetrics()
  const admission = new ActorAdmission(options.admission ?? admissionConfigSchema.parse({}))
  const app = new Hono()
  let openApi: { protocols: unknown; document: Record<string, unknown> } | undefined

  app.use(measureRoutes(metrics, backend))

  app.post(
    '/v1/actors/:actor/:message',
    admission.middleware,
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => sendError(c, new PayloadTooLargeError(maxBodyBytes)),
    }),
    actorRequest({ backend, guard, defaultTimeoutMs: options.requestTimeoutMs ?? 5000 }),
  )

  app.get(
    '/v1/events/:actor/:message',
    eventStream({
      backend,
      guard,
      pollMs: options.eventPollMs ?? 250,
      timeoutMs: options.requestTimeoutMs ?? 5000,
    }),
  )

  if (guard?.routes) app.route('/v1/auth', guard.routes)
  for (const mount of options.mounts ?? []) app.route(checkedMountPath(mount.path), mount.routes)

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

  app.get('/metrics', (c) =>
    c.text(metricsText(backend.actorCounters(), metrics), 200, {
      'content-type': 'text/plain; version=0.0.4',
    }),
  )

  app.route('/v1/admin', adminRoutes(backend.admin, options.adminToken))

  app.notFound((c) => sendError(c, new RouteNotFoundError(c.req.method, c.req.path)))
  app.onError((error, c) => {
    // Hono middleware (bearerAuth) refuses by throwing a ready response.
    if (error instanceof HTTPException) return error.getResponse()
    return sendError(c, error, statusByCode)
  })

  const fetch = refusingEarly(app, admission, metrics, backend)
  return { app, fetch, metrics, shedder: admission.shared, admission }
}

/**
 * The app's fetch, with overload refusals answered before Hono runs: under
 * overload most requests are refused, and each one's routing and middleware
 * would come out of the loop time the accepted ones need. Serve this
 * (`serveGateway(gateway)`); `app.request` in tests takes the middleware path,
 * which refuses the same way.
 */
function refusingEarly(
  app: Hono,
  admission: ActorAdmission,
  metrics: RouteMetrics,
  backend: GatewayBackend,
): Hono['fetch'] {
  return (request, env, executionCtx) => {
    const started = performance.now()
    const refused = admission.refuseEarly(request)
    if (!refused) return app.fetch(request, env, executionCtx)
    const route = Object.hasOwn(backend.protocols(), refused.actor)
      ? `POST /v1/actors/${refused.actor}`
      : 'POST /v1/actors/:actor/:message'
    metrics.observe(route, refused.response.status, (performance.now() - started) / 1000)
    return refused.response
  }
}

/** Middleware timing every request into `metrics`, by route (actor routes by deployed actor). */
function measureRoutes(metrics: RouteMetrics, backend: GatewayBackend): MiddlewareHandler {
  return async function measure(c, next) {
    const started = performance.now()
    await next()
    const actor = c.req.param('actor')
    const route =
      actor !== undefined &&
      c.req.routePath === '/v1/actors/:actor/:message' &&
      Object.hasOwn(backend.protocols(), actor)
        ? `POST /v1/actors/${actor}`
        : `${c.req.method} ${c.req.routePath}`
    metrics.observe(route, c.res.status, (performance.now() - started) / 1000)
  }
}

const reservedPrefixes = ['/v1/actors', '/v1/events', '/v1/auth', '/v1/admin']

/** A mount path must be absolute and must not shadow a built-in route. */
function checkedMountPath(path: string): string {
  const reserved = reservedPrefixes.some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`),
  )
  if (!path.startsWith('/') || reserved) {
    throw new TypeError(
      `gateway mount path ${JSON.stringify(path)} must start with / and not shadow ${reservedPrefixes.join(', ')}`,
    )
  }
  return path
}
