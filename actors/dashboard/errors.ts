/**
 * Typed errors of the operator dashboard's routes. Each code has a section
 * in docs/errors.md; messages say what to do.
 */
import { type BaseErrorOptions, defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** The host has not finished starting: it has no status to show yet (HTTP 503). */
export class DashboardHostStartingError extends defineError('DASHBOARD_HOST_STARTING') {
  constructor(hostId: string, options: BaseErrorOptions = {}) {
    super(`host ${hostId} is still starting and has no status yet; retry in a moment`, {
      meta: { hostId },
      ...options,
    })
  }
}

/** A request for a dashboard file that does not exist (HTTP 404). */
export class DashboardAssetNotFoundError extends defineError('DASHBOARD_ASSET_NOT_FOUND') {
  constructor(name: string, options: BaseErrorOptions = {}) {
    super(
      `the dashboard has no asset '${name}'; it serves dashboard.js, dashboard.css and uPlot.min.css`,
      { kind: 'application', meta: { name }, ...options },
    )
  }
}

/** HTTP status of each dashboard code, merged with the guard's table. */
export const DASHBOARD_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  DASHBOARD_HOST_STARTING: 503,
  DASHBOARD_ASSET_NOT_FOUND: 404,
}

/** Every error class of this package; `DashboardErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const dashboardErrors = [DashboardHostStartingError, DashboardAssetNotFoundError] as const

export type DashboardErrorCode = ErrorCodeOf<typeof dashboardErrors>
