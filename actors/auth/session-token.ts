/**
 * Session tokens: JWS compact serialization (RFC 7515) of JWT claims
 * (RFC 7519), signed with EdDSA/Ed25519 (RFC 8037) by the key of the host
 * that issued it. Any host of the domain verifies a token against the
 * issuer's public key from the admin-signed enrollment list, so no secret
 * is shared between hosts. Only `alg: EdDSA` is accepted (no `none`, no
 * algorithm chosen by the token). Verification is pure: time comes in as
 * `nowMs`.
 */
import { type KeyObject, sign, verify } from 'node:crypto'
import {
  AuthBadSignatureError,
  AuthClockSkewError,
  AuthExpiredError,
  AuthMalformedError,
  AuthWrongAudienceError,
} from './errors.ts'

/** What a session token asserts. Times are seconds since the epoch (JWT NumericDate). */
export type SessionClaims = {
  /** Issuing host id; its enrolled key signed the token. */
  readonly iss: string
  /** The principal: a lower-case 0x address. */
  readonly sub: string
  /** Audience: the domain the session is valid in. */
  readonly aud: string
  readonly iat: number
  readonly exp: number
  /** Session id (revocation handle). */
  readonly sid: string
  /** Node type and zone the address had at sign-in (informational; authorization re-checks). */
  readonly nt?: string | undefined
  readonly zone?: string | undefined
}

export type VerifySessionTokenOptions = {
  /** The enrolled Ed25519 public key of a host, or undefined when it is not enrolled. */
  keyOf(hostId: string): KeyObject | undefined
  audience: string
  nowMs: number
  /** Tolerated clock difference for `iat`, ms. Default 30,000. */
  skewMs?: number | undefined
}

const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const ADDRESS = /^0x[0-9a-f]{40}$/

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function decode(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    throw new AuthMalformedError('the session token is not a JWS of JSON parts')
  }
}

/** Signs `claims` with the issuing host's private key. */
export function mintSessionToken(claims: SessionClaims, privateKey: KeyObject): string {
  const signingInput = `${encode({ alg: 'EdDSA', typ: 'JWT', kid: `host:${claims.iss}` })}.${encode(claims)}`
  const signature = sign(null, Buffer.from(signingInput), privateKey).toString('base64url')
  return `${signingInput}.${signature}`
}

function claimsOf(value: unknown): SessionClaims {
  const c = value as Record<string, unknown> | null
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.iss !== 'string' ||
    typeof c.sub !== 'string' ||
    !ADDRESS.test(c.sub) ||
    typeof c.aud !== 'string' ||
    typeof c.sid !== 'string' ||
    !Number.isFinite(c.iat) ||
    !Number.isFinite(c.exp)
  ) {
    throw new AuthMalformedError('the session token lacks iss, sub, aud, iat, exp or sid')
  }
  return c as unknown as SessionClaims
}

/** Checks a token's signature, audience and times; returns its claims. */
export function verifySessionToken(
  token: string,
  options: VerifySessionTokenOptions,
): SessionClaims {
  if (token.length > 4096 || !TOKEN.test(token)) {
    throw new AuthMalformedError('the bearer credential is not a session token')
  }
  const [headerPart, payloadPart, signaturePart] = token.split('.') as [string, string, string]
  const header = decode(headerPart) as { alg?: unknown; kid?: unknown } | null
  if (
    header?.alg !== 'EdDSA' ||
    typeof header.kid !== 'string' ||
    !header.kid.startsWith('host:')
  ) {
    throw new AuthMalformedError('the session token must be EdDSA-signed by a host (kid host:<id>)')
  }
  const claims = claimsOf(decode(payloadPart))
  if (`host:${claims.iss}` !== header.kid) {
    throw new AuthMalformedError("the session token's kid and iss disagree")
  }
  const key = options.keyOf(claims.iss)
  if (!key) throw new AuthBadSignatureError('the session token (issuer not enrolled)')
  const signed = verify(
    null,
    Buffer.from(`${headerPart}.${payloadPart}`),
    key,
    Buffer.from(signaturePart, 'base64url'),
  )
  if (!signed) throw new AuthBadSignatureError('the session token signature')
  checkSessionClaims(claims, options)
  return claims
}

/** The time and audience checks, also re-run on every cached use of a token. */
export function checkSessionClaims(
  claims: SessionClaims,
  options: Pick<VerifySessionTokenOptions, 'audience' | 'nowMs' | 'skewMs'>,
): void {
  if (claims.aud !== options.audience) {
    throw new AuthWrongAudienceError(`the session is for domain '${claims.aud}', not this one`, {
      audience: claims.aud,
      expected: options.audience,
    })
  }
  const nowSeconds = options.nowMs / 1000
  if (claims.exp <= nowSeconds) throw new AuthExpiredError('the session token')
  if (claims.iat * 1000 > options.nowMs + (options.skewMs ?? 30_000)) {
    throw new AuthClockSkewError('the session token was issued in the future and')
  }
}
