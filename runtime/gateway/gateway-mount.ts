/**
 * An extra Hono app a composition asks the gateway to serve under `path`
 * (e.g. `/v1/cameras`, `/dashboard`). The gateway adds its metrics and error
 * mapping; authentication is the mount's own job, since the runtime knows
 * nothing about credentials (use the composition's guard inside it).
 */
import type { Hono } from 'hono'

export type GatewayMount = {
  /** Where the app is mounted, e.g. `/dashboard`; must start with `/` and not shadow `/v1/actors`, `/v1/events`, `/v1/auth`, `/v1/admin`. */
  readonly path: string
  readonly routes: Hono
}
