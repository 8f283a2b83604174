/**
 * The operator dashboard: one page served by every host's gateway (a
 * gateway mount the composition adds), with hosts, actors and hot swap,
 * ledgers, cameras with live view and track overlays, alerts and time
 * series, and an EIP-4361 sign-in. See docs/dashboard.md.
 */

// biome-ignore lint/performance/noBarrelFile: entrypoint module of the dashboard folder
export { admitDashboardRequest, DASHBOARD_READ } from './dashboard-access.ts'
export { type DashboardMountOptions, dashboardMount } from './dashboard-mount.ts'
export { type DomainSummary, domainSummary, type HostRow } from './domain-summary.ts'
export {
  DASHBOARD_STATUS_BY_CODE,
  DashboardAssetNotFoundError,
  type DashboardErrorCode,
  DashboardHostStartingError,
  dashboardErrors,
} from './errors.ts'
export { type ActorRow, type HostSummary, hostSummary } from './host-summary.ts'
export { requestsTotal } from './requests-total.ts'
