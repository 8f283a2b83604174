/**
 * Who may read the dashboard's data: the composition's guard authenticates
 * the request (a session token, `Authorization: Bearer …`) and authorizes
 * it as if it sent a message that needs `/dashboard read`. Without a guard
 * (an open host, as in bare-kernel tests) everyone may, as on the rest of
 * that gateway. The page itself and its scripts are public; they hold no data.
 */
import type { Caller, Guard, GuardTarget } from '../../runtime/index.ts'

/** The right the dashboard's data routes need. */
export const DASHBOARD_READ = { resource: '/dashboard', action: 'read' } as const

const TARGET: GuardTarget = {
  actor: 'dashboard',
  message: 'dashboard.status',
  access: DASHBOARD_READ,
}

/** Authenticates and authorizes a data request; throws the guard's typed refusal. */
export async function admitDashboardRequest(
  guard: Guard | undefined,
  request: Request,
): Promise<Caller | undefined> {
  if (!guard) return undefined
  const caller = await guard.authenticate(request, TARGET)
  // authenticate throws AUTH_REQUIRED for a non-public target without a credential.
  await guard.authorize(caller as Caller, TARGET)
  return caller
}
