/**
 * The security composition of a vigil host: the gateway guard (session
 * tokens and RFC 9421 signatures; decisions from the access-control actor,
 * cached) and `admitCaller` (forwarded principals re-verified from their
 * session token), with the audit log at `auditFile`; the viewer API at
 * `/v1/cameras` behind the same guard; and the operator dashboard mounted at
 * `/dashboard`, its data behind that guard (docs/dashboard.md). runtime/
 * knows none of this: it receives the result as `startHost({ plugins })`.
 */
import { type AuthGuardOptions, createAuditLog, createAuthGuard } from '../actors/auth/index.ts'
import { dashboardMount } from '../actors/dashboard/index.ts'
import { createViewerRoutes } from '../actors/privacy/index.ts'
import type { HostPluginFactory } from '../runtime/index.ts'

export type SecurityPluginOptions = {
  /** JSON-lines audit file shared by the hosts of a machine (appends are line-atomic). */
  auditFile: string
  /** Guard settings (actor names, cache caps, signature window); defaults in create-auth-guard.ts. */
  guard?: Omit<AuthGuardOptions, 'audit'> | undefined
  /** The viewer API at /v1/cameras (actors/privacy/viewer-routes.ts): actor names; defaults `privacy`, `surveil-decision`. */
  viewer?: { privacyActor?: string | undefined; decisionActor?: string | undefined } | undefined
  /** How often the dashboard page refreshes, ms; default 1,000. */
  dashboardPollMs?: number | undefined
}

/** The plugin factory every host of a secured domain runs with. */
export function securityPlugins(options: SecurityPluginOptions): HostPluginFactory {
  return function security(services) {
    const audit = createAuditLog({
      file: options.auditFile,
      host: services.hostId,
      clock: services.clock,
    })
    const guard = createAuthGuard(services, { ...options.guard, audit })
    const cameras = createViewerRoutes({ services, guard, ...options.viewer })
    const dashboard = dashboardMount({ services, guard, pollMs: options.dashboardPollMs })
    return {
      guard,
      admitCaller: guard.admitCaller,
      mounts: [{ path: '/v1/cameras', routes: cameras }, dashboard],
    }
  }
}
