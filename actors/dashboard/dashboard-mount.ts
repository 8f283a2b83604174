/**
 * The operator dashboard as a gateway mount (runtime/gateway/gateway-mount.ts),
 * served by every host of a domain the composition builds it into:
 *
 * - `GET /dashboard`: the page (dashboard-page.ts), public;
 * - `GET /dashboard/assets/<name>`: its script and stylesheets, public (dashboard-assets.ts);
 * - `GET /dashboard/api/host`: this host's summary (host-summary.ts);
 * - `GET /dashboard/api/domain`: every host's summary and request total (domain-summary.ts).
 *
 * The `api` routes need a session with the right `/dashboard read`
 * (dashboard-access.ts). The page reads ledgers, cameras and alerts through
 * the gateway's own routes with the same token, so each is authorized as
 * the message or viewer route it is.
 */
import { Hono } from 'hono'
import {
  errorResponse,
  type GatewayMount,
  type Guard,
  type HostServices,
} from '../../runtime/index.ts'
import { admitDashboardRequest } from './dashboard-access.ts'
import { dashboardAsset } from './dashboard-assets.ts'
import { dashboardPage } from './dashboard-page.ts'
import { domainSummary } from './domain-summary.ts'
import {
  DASHBOARD_STATUS_BY_CODE,
  DashboardAssetNotFoundError,
  DashboardHostStartingError,
} from './errors.ts'
import { hostSummary } from './host-summary.ts'

/**
 * The page loads only its own scripts and styles, talks only to its own gateway, and shows
 * images only from blob: URLs (fetched with the token); uPlot sets inline styles.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export type DashboardMountOptions = {
  services: Pick<HostServices, 'hostId' | 'status'>
  /** The composition's guard; without one the data routes are open, like the gateway. */
  guard?: Guard | undefined
  /** Mount path; default `/dashboard`. */
  path?: string | undefined
  /** How often the page refreshes, ms; default 1,000. */
  pollMs?: number | undefined
  /** Deadline of each request to a peer's dashboard, ms; default 2,000. */
  peerTimeoutMs?: number | undefined
}

/** Builds the mount. */
export function dashboardMount(options: DashboardMountOptions): GatewayMount {
  const path = options.path ?? '/dashboard'
  const { services, guard } = options
  const routes = new Hono()
  const summary = () => {
    const status = services.status?.()
    if (!status) throw new DashboardHostStartingError(services.hostId)
    return hostSummary(status)
  }

  routes.get('/', (c) =>
    c.html(
      dashboardPage({ hostId: services.hostId, mountPath: path, pollMs: options.pollMs ?? 1000 }),
      200,
      PAGE_HEADERS,
    ),
  )
  routes.get('/assets/:name', async (c) => {
    const asset = await dashboardAsset(c.req.param('name'))
    if (!asset) throw new DashboardAssetNotFoundError(c.req.param('name'))
    return c.body(asset.body, 200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    })
  })
  routes.get('/api/host', async (c) => {
    await admitDashboardRequest(guard, c.req.raw)
    return c.json(summary())
  })
  routes.get('/api/domain', async (c) => {
    await admitDashboardRequest(guard, c.req.raw)
    return c.json(
      await domainSummary({
        self: summary(),
        authorization: c.req.header('authorization'),
        mountPath: path,
        timeoutMs: options.peerTimeoutMs ?? 2000,
      }),
    )
  })
  routes.onError((error, c) => {
    const response = errorResponse(error, { ...guard?.statusByCode, ...DASHBOARD_STATUS_BY_CODE })
    return c.json(response.body, response.status as 401, response.headers)
  })
  return { path, routes }
}
