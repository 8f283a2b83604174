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
import type { KeyObject } from 'node:crypto'
import {
  type AdmitCaller,
  BaseError,
  type Caller,
  CallerForgedError,
  CallerRefusedError,
  type Guard,
  type GuardTarget,
  type HostServices,
  publicKeyFromBase64,
} from '../../runtime/index.ts'
import type { AuditEntry, AuditLog } from './audit-log.ts'
import { createAuthRoutes } from './auth-routes.ts'
import { DecisionCache } from './decision-cache.ts'
import {
  AccessRefusedError,
  AccessUnavailableError,
  AUTH_STATUS_BY_CODE,
  AuthMalformedError,
  AuthRequiredError,
} from './errors.ts'
import { verifyRequestSignature } from './http-message-signature.ts'
import { NonceStore } from './nonce-store.ts'
import type { SessionClaims } from './session-token.ts'
import { type Revocations, SessionVerifier } from './session-verifier.ts'

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

type HostOfKey = { hostId?: string; address?: string; registered: boolean }

function sessionCaller(token: string, claims: SessionClaims): Caller {
  return {
    id: claims.sub,
    credential: token,
    claims: {
      domain: claims.aud,
      via: 'session',
      session: claims.sid,
      issuer: claims.iss,
      ...(claims.nt ? { nodeType: claims.nt } : {}),
      ...(claims.zone ? { zone: claims.zone } : {}),
    },
  }
}

function refusal(error: unknown): { code: string; reason: string } | undefined {
  if (!BaseError.is(error)) return undefined
  const e = error as BaseError
  return { code: e.code, reason: e.shortMessage }
}

/** Builds the guard of one host. */
export function createAuthGuard(services: HostServices, options: AuthGuardOptions): AuthGuard {
  const { clock } = services
  const { audit } = options
  const authActor = options.authActor ?? 'auth'
  const accessActor = options.accessActor ?? 'access-control'
  const identityActor = options.identityActor ?? 'identity'
  const askTimeoutMs = options.askTimeoutMs ?? 2000
  const keys = new Map<string, KeyObject | null>()
  const keyOfHost = (hostId: string): KeyObject | undefined => {
    let key = keys.get(hostId)
    if (key === undefined) {
      const peer = services.enrollment.get(hostId)
      key = peer ? publicKeyFromBase64(peer.publicKey) : null
      keys.set(hostId, key)
    }
    return key ?? undefined
  }
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
        {
          timeoutMs: askTimeoutMs,
        },
      ),
  })
  const hostAddresses = new Map<string, { address: string | undefined; until: number }>()

  function record(entry: AuditEntry) {
    audit.write(entry)
  }

  // Revocations: fetched from the auth actor while requests arrive, at most every poll interval.
  const pollMs = options.revocationPollMs ?? 250
  let cursor = { epoch: undefined as string | undefined, seq: 0 }
  let lastPoll = Number.NEGATIVE_INFINITY
  let polling: Promise<void> | undefined
  let reachable = true
  function refreshRevocations(): Promise<void> {
    lastPoll = clock.now()
    polling ??= services
      .ask<Revocations & { epoch: string; seq: number }>(
        authActor,
        'auth.revocations',
        { since: cursor.seq, ...(cursor.epoch ? { epoch: cursor.epoch } : {}) },
        { timeoutMs: askTimeoutMs },
      )
      .then(
        (list) => {
          sessions.apply(list)
          for (const { address } of list.addresses) decisions.forget(address)
          cursor = { epoch: list.epoch, seq: list.seq }
          if (!reachable) services.log('auth.revocations_available', {})
          reachable = true
        },
        (error: unknown) => {
          // Once per outage, not every poll (the auth actor is unplaced while a domain starts).
          if (reachable) services.log('auth.revocations_unavailable', refusal(error) ?? {})
          reachable = false
        },
      )
      .finally(() => {
        polling = undefined
      })
    return polling
  }

  async function signedCaller(request: Request): Promise<Caller> {
    const body =
      request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : new Uint8Array(await request.clone().arrayBuffer())
    const { keyId } = verifyRequestSignature(
      { method: request.method, url: request.url, headers: request.headers, body },
      {
        keyOf: (id) => (id.startsWith('host:') ? keyOfHost(id.slice(5)) : undefined),
        nowMs: clock.now(),
        windowMs,
        nonces,
      },
    )
    const hostId = keyId.slice(5)
    return { id: keyId, claims: { host: hostId, via: 'rfc9421', domain: services.domain } }
  }

  function authenticateRequest(
    request: Request,
    target: GuardTarget,
  ): Caller | undefined | Promise<Caller | undefined> {
    if (clock.now() - lastPoll >= pollMs) void refreshRevocations()
    const authorization = request.headers.get('authorization')
    if (authorization !== null) {
      if (!/^bearer /i.test(authorization)) {
        throw new AuthMalformedError("the authorization header must be 'Bearer <session token>'")
      }
      const token = authorization.slice(7).trim()
      return sessionCaller(token, sessions.verify(token))
    }
    if (request.headers.has('signature-input')) return signedCaller(request)
    if (target.access === 'public') return undefined
    throw new AuthRequiredError(`${target.actor}/${target.message}`)
  }

  function refuseAuthentication(error: unknown, target: GuardTarget): never {
    const why = refusal(error)
    if (why) {
      record({
        event: 'refused',
        principal: 'anonymous',
        actor: target.actor,
        message: target.message,
        ...why,
      })
    }
    throw error
  }

  async function subjectOf(caller: Caller): Promise<string> {
    if (!caller.id.startsWith('host:')) return caller.id
    const hostId = caller.id.slice(5)
    const known = hostAddresses.get(hostId)
    if (known && known.until > clock.now()) {
      if (known.address) return known.address
    } else {
      const peer = services.enrollment.get(hostId)
      const bound = peer
        ? await services.ask<HostOfKey>(
            identityActor,
            'identity.host_of_key',
            { publicKey: peer.publicKey },
            {
              timeoutMs: askTimeoutMs,
            },
          )
        : undefined
      const address = bound?.registered ? bound.address?.toLowerCase() : undefined
      hostAddresses.set(hostId, { address, until: clock.now() + 1000 })
      if (address) return address
    }
    throw new AccessRefusedError(
      'ACCESS_NOT_REGISTERED',
      `host ${hostId}'s key is not bound to a registered address; register the host in the identity registry`,
    )
  }

  function enforce(
    caller: Caller,
    target: GuardTarget,
    subject: string,
    decision: { allowed: boolean; code?: string | undefined; reason?: string | undefined },
  ) {
    const access = target.access as { resource: string; action: string }
    const entry = {
      principal: caller.id,
      actor: target.actor,
      message: target.message,
      resource: access.resource,
      action: access.action,
      via: caller.claims?.via,
    }
    if (!decision.allowed) {
      const code = decision.code ?? 'ACCESS_DENIED'
      const reason =
        decision.reason ??
        `${subject} holds no right '${access.action}' on '${access.resource}'; request it with access.request`
      record({ event: 'refused', ...entry, code, reason })
      throw new AccessRefusedError(code, reason, {
        resource: access.resource,
        action: access.action,
      })
    }
    if (access.action === 'admin') record({ event: 'admin', ...entry })
  }

  async function authorizeSlowly(caller: Caller, target: GuardTarget): Promise<void> {
    const access = target.access as { resource: string; action: string }
    let subject: string
    let decision: Awaited<ReturnType<DecisionCache['decide']>>
    try {
      subject = await subjectOf(caller)
      decision = await decisions.decide(subject, access.resource, access.action)
    } catch (error) {
      const why = refusal(error)
      const refused = why?.code.startsWith('ACCESS_') && why.code !== 'ACCESS_UNAVAILABLE'
      const thrown = refused ? error : new AccessUnavailableError(error)
      const final = refusal(thrown) as { code: string; reason: string }
      record({
        event: 'refused',
        principal: caller.id,
        actor: target.actor,
        message: target.message,
        resource: access.resource,
        action: access.action,
        ...final,
      })
      throw thrown
    }
    enforce(caller, target, subject, decision)
  }

  const guard: AuthGuard = {
    statusByCode: AUTH_STATUS_BY_CODE,
    sessions,
    decisions,
    refreshRevocations,
    authenticate(request, target) {
      try {
        const caller = authenticateRequest(request, target)
        if (caller instanceof Promise)
          return caller.catch((error) => refuseAuthentication(error, target))
        return caller
      } catch (error) {
        refuseAuthentication(error, target)
      }
    },
    authorize(caller, target) {
      if (target.access === 'public') return
      if (!caller.id.startsWith('host:')) {
        const cached = decisions.cached(caller.id, target.access.resource, target.access.action)
        if (cached) return enforce(caller, target, caller.id, cached)
      }
      return authorizeSlowly(caller, target)
    },
    admitCaller(caller, fromPeerId) {
      try {
        if (!caller.credential) {
          throw new CallerRefusedError(caller.id, fromPeerId, 'it carries no credential')
        }
        const claims = sessions.verify(caller.credential)
        if (claims.sub !== caller.id) {
          throw new CallerForgedError(caller.id, fromPeerId, {
            details: 'its credential names another principal',
          })
        }
        return sessionCaller(caller.credential, claims)
      } catch (error) {
        const why = refusal(error)
        record({ event: 'caller_refused', principal: caller.id, peer: fromPeerId, ...(why ?? {}) })
        if (why?.code === 'CALLER_FORGED' || why?.code === 'CALLER_REFUSED') throw error
        throw new CallerForgedError(caller.id, fromPeerId, {
          details: `its credential does not verify (${why?.code ?? 'unknown'})`,
        })
      }
    },
  }
  return Object.assign(guard, {
    routes: createAuthRoutes({ services, guard, audit, authActor, identityActor, askTimeoutMs }),
  })
}
