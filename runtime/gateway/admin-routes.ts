/**
 * `/v1/admin/*`: operator actions (status, placement, hot swap, deploying
 * new actors onto the running domain), behind the
 * bearer token from the host's admin token file (Hono's `bearerAuth`,
 * constant-time compare). Without a token or admin backend they answer 403
 * ADMIN_DISABLED; a missing or wrong token is 401 UNAUTHORIZED.
 */
import { type Context, Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { AdminDisabledError, BadRequestError, UnauthorizedError } from './errors.ts'
import type { GatewayAdmin } from './gateway-backend.ts'
import { sendError } from './send-error.ts'

/** The admin sub-app, mounted at /v1/admin. */
export function adminRoutes(admin: GatewayAdmin | undefined, token: string | undefined): Hono {
  const routes = new Hono()
  if (!admin || !token) {
    routes.all('*', (c) => sendError(c, new AdminDisabledError()))
    return routes
  }
  const refuse = (c: Context) =>
    sendError(
      c,
      new UnauthorizedError('missing or wrong admin token; pass Authorization: Bearer <token>'),
    )
  routes.use(
    bearerAuth({
      token,
      noAuthenticationHeader: { message: refuse },
      invalidAuthenticationHeader: { message: refuse },
      invalidToken: { message: refuse },
    }),
  )
  routes.get('/status', async (c) => c.json((await admin.status()) as object))
  routes.get('/placement', async (c) => c.json((await admin.placement()) as object))
  routes.post('/swap', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as
      | { actor?: unknown; module?: unknown; export?: unknown }
      | undefined
    if (typeof body?.actor !== 'string' || typeof body.module !== 'string') {
      throw new BadRequestError('send {"actor": "<name>", "module": "<path>"} as JSON')
    }
    const result = await admin.swap({
      actor: body.actor,
      module: body.module,
      export: typeof body.export === 'string' ? body.export : undefined,
    })
    return c.json(result as object)
  })
  routes.post('/deploy', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { actors?: unknown } | undefined
    if (!admin.deploy) throw new AdminDisabledError()
    if (!Array.isArray(body?.actors)) {
      throw new BadRequestError(
        'send {"actors": [{"name", "module": "<deployable key>", "export"?, "args"?, "placement"?}]} as JSON',
      )
    }
    return c.json((await admin.deploy({ actors: body.actors })) as object)
  })

  routes.post('/enrollment', async (c) => {
    const body = await c.req.json().catch(() => undefined)
    if (body === undefined) throw new BadRequestError('send the signed enrollment list as JSON')
    if (!admin.enrollment) throw new BadRequestError('this host takes no enrollment updates')
    return c.json((await admin.enrollment(body)) as object)
  })
  return routes
}
