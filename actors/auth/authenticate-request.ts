/**
 * The guard's `authenticate`: a bearer session token, or an RFC 9421
 * signature by an enrolled host key, or nobody (public messages only).
 * Every refusal is written to the audit log as an anonymous one.
 */
import type { Caller, Clock, Guard, GuardTarget } from '../../runtime/index.ts'
import type { AuditLog } from './audit-log.ts'
import { AuthMalformedError, AuthRequiredError } from './errors.ts'
import type { HostKeyLookup } from './host-key-lookup.ts'
import { verifyRequestSignature } from './http-message-signature.ts'
import type { NonceStore } from './nonce-store.ts'
import { refusal } from './refusal.ts'
import { sessionCaller } from './session-caller.ts'
import type { SessionVerifier } from './session-verifier.ts'

export type AuthenticatorOptions = {
  clock: Clock
  domain: string
  audit: AuditLog
  sessions: SessionVerifier
  keyOfHost: HostKeyLookup
  nonces: NonceStore
  windowMs: number
  /** Called before every request (the revocation poll). */
  beforeRequest(): void
}

export function createAuthenticator(options: AuthenticatorOptions): Guard['authenticate'] {
  const { clock, audit, sessions, keyOfHost, nonces, windowMs } = options

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
    return { id: keyId, claims: { host: hostId, via: 'rfc9421', domain: options.domain } }
  }

  function authenticateRequest(
    request: Request,
    target: GuardTarget,
  ): Caller | undefined | Promise<Caller | undefined> {
    options.beforeRequest()
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

  function refuse(error: unknown, target: GuardTarget): never {
    const why = refusal(error)
    if (why) {
      audit.write({
        event: 'refused',
        principal: 'anonymous',
        actor: target.actor,
        message: target.message,
        ...why,
      })
    }
    throw error
  }

  return (request, target) => {
    try {
      const caller = authenticateRequest(request, target)
      if (caller instanceof Promise) return caller.catch((error) => refuse(error, target))
      return caller
    } catch (error) {
      refuse(error, target)
    }
  }
}
