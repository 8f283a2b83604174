/**
 * vigil's gateway guard: who is calling (a session token, or an RFC 9421
 * signature by an enrolled host key) and whether they may send the message
 * (the access-control actor's decision, cached locally), plus `admitCaller`
 * for principals other hosts forward. Every refusal and every allowed
 * administrative message is written to the audit log. Built once per host
 * by the composition (scripts/security-plugins.ts) from the host's services.
 *
 * Hot path (a signed-in caller, decision cached): one Map lookup for the
 * token, one for revocations, one for the decision; no await, no chain
 * call, no actor message.
 */
import type { AdmitCaller, Guard, HostServices } from '../../runtime/index.ts'
import { createAdmitCaller } from './admit-caller.ts'
import type { AuditLog } from './audit-log.ts'
import { createAuthRoutes } from './auth-routes.ts'
import { createAuthenticator } from './authenticate-request.ts'
import { createAuthorizer } from './authorize-request.ts'
import { DecisionCache } from './decision-cache.ts'
import { AUTH_STATUS_BY_CODE } from './errors.ts'
import { createHostKeyLookup } from './host-key-lookup.ts'
import { createSubjectOf } from './host-subject.ts'
import { NonceStore } from './nonce-store.ts'
import { createRevocationPoller } from './revocation-poller.ts'
import { SessionVerifier } from './session-verifier.ts'

export type AuthGuardOptions = {
  audit: AuditLog
  /** Actor names; defaults `auth`, `access-control`, `identity`. */
  authActor?: string | undefined
  accessActor?: string | undefined
  identityActor?: string | undefined
  /** How often revocations are fetched from the auth actor while requests arrive, ms; default 250. */
  revocationPollMs?: number | undefined
  /** Longest a grant is reused without asking access-control, ms; default 100. */
  maxAllowMs?: number | undefined
  /** RFC 9421: how old `created` may be, ms; default 30,000. */
  signatureWindowMs?: number | undefined
  /** Timeout of the guard's own asks (access.check, identity), ms; default 2,000. */
  askTimeoutMs?: number | undefined
}

/** The guard with the parts tests and the bench look at. */
export type AuthGuard = Guard & {
  readonly admitCaller: AdmitCaller
  readonly sessions: SessionVerifier
  readonly decisions: DecisionCache
  /** Fetches revocations now (the guard also does so by itself while requests arrive). */
  refreshRevocations(): Promise<void>
}

/** Builds the guard of one host. */
export function createAuthGuard(services: HostServices, options: AuthGuardOptions): AuthGuard {
  const { clock } = services
  const { audit } = options
  const authActor = options.authActor ?? 'auth'
  const accessActor = options.accessActor ?? 'access-control'
  const identityActor = options.identityActor ?? 'identity'
  const askTimeoutMs = options.askTimeoutMs ?? 2000
  const keyOfHost = createHostKeyLookup(services.enrollment)
  const sessions = new SessionVerifier({ keyOf: keyOfHost, audience: services.domain, clock })
  const windowMs = options.signatureWindowMs ?? 30_000
  const nonces = new NonceStore({ clock, ttlMs: windowMs })
  const decisions = new DecisionCache({
    clock,
    maxAllowMs: options.maxAllowMs,
    check: (subject, resource, action) =>
      services.ask(
        accessActor,
        'access.check',
        { subject, resource, action },
        { timeoutMs: askTimeoutMs },
      ),
  })
  const revocations = createRevocationPoller({
    services,
    sessions,
    decisions,
    authActor,
    askTimeoutMs,
    pollMs: options.revocationPollMs ?? 250,
  })
  const guard: AuthGuard = {
    statusByCode: AUTH_STATUS_BY_CODE,
    sessions,
    decisions,
    refreshRevocations: revocations.refresh,
    authenticate: createAuthenticator({
      clock,
      domain: services.domain,
      audit,
      sessions,
      keyOfHost,
      nonces,
      windowMs,
      beforeRequest: revocations.poll,
    }),
    authorize: createAuthorizer(
      audit,
      decisions,
      createSubjectOf(services, identityActor, askTimeoutMs),
    ),
    admitCaller: createAdmitCaller(audit, sessions),
  }
  return Object.assign(guard, {
    routes: createAuthRoutes({ services, guard, audit, authActor, identityActor, askTimeoutMs }),
  })
}
