/**
 * The routes the guard mounts at `/v1/auth`:
 * - `GET /v1/auth/nonce`: a single-use nonce plus the domain, chain id and
 *   URI an EIP-4361 message must name;
 * - `POST /v1/auth/sign-in` `{message, signature}`: the auth actor verifies
 *   the sign-in (in its worker), the identity actor says whether the address
 *   is registered (403 ACCESS_NOT_REGISTERED if not); this host then signs
 *   the session token with its own key → `{token, address, expiresAt}`;
 * - `POST /v1/auth/sign-out` (Bearer): revokes the session on every host
 *   (within the guards' poll interval; at once on this one).
 * Errors answer `{code, message}` with the guard's status table (auth and
 * access codes), 504 for timeouts and 503 when the auth actor is unreachable.
 */
import { Hono } from 'hono'
import { BaseError, errorResponse, type HostServices } from '../../runtime/index.ts'
import type { AuditLog } from './audit-log.ts'
import {
  AccessRefusedError,
  AUTH_STATUS_BY_CODE,
  AuthMalformedError,
  AuthRequiredError,
} from './errors.ts'
import { mintSessionToken } from './session-token.ts'
import type { SessionVerifier } from './session-verifier.ts'

export type AuthRoutesOptions = {
  services: HostServices
  guard: { readonly sessions: SessionVerifier }
  audit: AuditLog
  authActor: string
  identityActor: string
  askTimeoutMs: number
}

type SignedIn = {
  address: string
  sessionId: string
  domain: string
  issuedAt: number
  expiresAt: number
}

type Resolved = { registered: boolean; nodeType?: string | undefined; zone?: string | undefined }

function bearer(header: string | undefined): string {
  if (!header) throw new AuthRequiredError('sign-out')
  if (!/^bearer /i.test(header)) {
    throw new AuthMalformedError("the authorization header must be 'Bearer <session token>'")
  }
  return header.slice(7).trim()
}

type Ask = <Reply>(type: string, payload: unknown, actor?: string) => Promise<Reply>

/** The auth actor's verdict on a sign-in and the registered identity behind it; refusals are audited. */
async function verifySignInRequest(
  options: AuthRoutesOptions,
  ask: Ask,
  body: { message: string; signature: string },
): Promise<{ session: SignedIn; identity: Resolved }> {
  try {
    const session = await ask<SignedIn>('auth.sign_in', {
      message: body.message,
      signature: body.signature,
    })
    const identity = await ask<Resolved>(
      'identity.resolve',
      { address: session.address },
      options.identityActor,
    )
    if (!identity.registered) {
      throw new AccessRefusedError(
        'ACCESS_NOT_REGISTERED',
        `${session.address} is not registered in the identity registry; ask a zone master to register it`,
        { address: session.address },
      )
    }
    return { session, identity }
  } catch (error) {
    const e = BaseError.is(error) ? (error as BaseError) : undefined
    options.audit.write({
      event: 'sign_in_refused',
      principal: 'anonymous',
      code: e?.code ?? 'INTERNAL',
      reason: e?.shortMessage ?? 'sign-in failed',
    })
    throw error
  }
}

/** The session token this host signs for a verified sign-in. */
function sessionTokenFor(services: HostServices, session: SignedIn, identity: Resolved): string {
  return mintSessionToken(
    {
      iss: services.hostId,
      sub: session.address,
      aud: session.domain,
      iat: session.issuedAt,
      exp: session.expiresAt,
      sid: session.sessionId,
      ...(identity.nodeType ? { nt: identity.nodeType } : {}),
      ...(identity.zone ? { zone: identity.zone } : {}),
    },
    services.signingKey,
  )
}

/** Builds the `/v1/auth` sub-app. */
export function createAuthRoutes(options: AuthRoutesOptions): Hono {
  const { services, audit, authActor } = options
  const ask: Ask = <Reply>(type: string, payload: unknown, actor = authActor) =>
    services.ask<Reply>(actor, type, payload, { timeoutMs: options.askTimeoutMs })
  const routes = new Hono()

  routes.get('/nonce', async (c) => c.json(await ask<object>('auth.nonce', {})))

  routes.post('/sign-in', async function signIn(c) {
    const body = (await c.req.json().catch(() => undefined)) as
      | { message?: unknown; signature?: unknown }
      | undefined
    if (typeof body?.message !== 'string' || typeof body.signature !== 'string') {
      throw new AuthMalformedError('send {"message": "<EIP-4361 text>", "signature": "0x…"}')
    }
    const { session, identity } = await verifySignInRequest(options, ask, {
      message: body.message,
      signature: body.signature,
    })
    const token = sessionTokenFor(services, session, identity)
    audit.write({ event: 'sign_in', principal: session.address, via: 'siwe' })
    return c.json({
      token,
      address: session.address,
      expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    })
  })

  routes.post('/sign-out', async function signOut(c) {
    const claims = options.guard.sessions.verify(bearer(c.req.header('authorization')))
    await ask('auth.sign_out', { sessionId: claims.sid, expiresAt: claims.exp })
    options.guard.sessions.apply({
      sessions: [{ sid: claims.sid, exp: claims.exp }],
      addresses: [],
    })
    audit.write({ event: 'sign_out', principal: claims.sub, via: 'session' })
    return c.json({ revoked: true })
  })

  routes.onError((error, c) => {
    const response = errorResponse(error, AUTH_STATUS_BY_CODE)
    return c.json(response.body, response.status as 401, response.headers)
  })
  return routes
}
