/**
 * Verifies session tokens on the request path in microseconds: the Ed25519
 * signature is checked once per token (~42 µs) and remembered until the
 * token expires; every use re-checks expiry, audience and revocation (a Map
 * lookup each). Revocations are session ids (sign-out) and per-address
 * cut-offs (every session of an address issued before a time), fed by the
 * auth actor.
 */
import type { KeyObject } from 'node:crypto'
import type { Clock } from '../../runtime/index.ts'
import { AuthRevokedError } from './errors.ts'
import { checkSessionClaims, type SessionClaims, verifySessionToken } from './session-token.ts'

/** Revocations as the auth actor lists them. Times are seconds since the epoch. */
export type Revocations = {
  /** Signed-out sessions, kept until their expiry. */
  readonly sessions: readonly { readonly sid: string; readonly exp: number }[]
  /** Sessions of `address` issued at or before `before` are revoked. */
  readonly addresses: readonly { readonly address: string; readonly before: number }[]
}

export type SessionVerifierOptions = {
  keyOf(hostId: string): KeyObject | undefined
  audience: string
  clock: Clock
  skewMs?: number | undefined
  /** Cached tokens before expired ones are swept; default 100,000. */
  maxCached?: number | undefined
}

export class SessionVerifier {
  readonly #options: SessionVerifierOptions
  readonly #verified = new Map<string, SessionClaims>()
  readonly #revokedSessions = new Map<string, number>()
  readonly #addressCutoff = new Map<string, number>()

  constructor(options: SessionVerifierOptions) {
    this.#options = options
  }

  /** Claims of a valid, unrevoked token; throws an AUTH_* error otherwise. */
  verify(token: string): SessionClaims {
    const nowMs = this.#options.clock.now()
    let claims = this.#verified.get(token)
    if (claims) {
      checkSessionClaims(claims, { ...this.#options, nowMs })
    } else {
      claims = verifySessionToken(token, { ...this.#options, nowMs })
      this.#remember(token, claims, nowMs)
    }
    if (this.#revokedSessions.has(claims.sid)) throw new AuthRevokedError('this session')
    const cutoff = this.#addressCutoff.get(claims.sub)
    if (cutoff !== undefined && claims.iat <= cutoff) {
      throw new AuthRevokedError(`every session of ${claims.sub} up to now`)
    }
    return claims
  }

  /** Applies the auth actor's revocation list (idempotent). */
  apply(revocations: Revocations): void {
    for (const { sid, exp } of revocations.sessions) this.#revokedSessions.set(sid, exp)
    for (const { address, before } of revocations.addresses) {
      this.#addressCutoff.set(address, Math.max(before, this.#addressCutoff.get(address) ?? 0))
    }
  }

  get cachedTokens(): number {
    return this.#verified.size
  }

  #remember(token: string, claims: SessionClaims, nowMs: number): void {
    if (this.#verified.size >= (this.#options.maxCached ?? 100_000)) this.#sweep(nowMs)
    this.#verified.set(token, claims)
  }

  #sweep(nowMs: number): void {
    const now = nowMs / 1000
    for (const [token, claims] of this.#verified)
      if (claims.exp <= now) this.#verified.delete(token)
    for (const [sid, exp] of this.#revokedSessions)
      if (exp <= now) this.#revokedSessions.delete(sid)
    // Still full of live tokens (a flood of fresh sign-ins): start over; each re-verifies once.
    if (this.#verified.size >= (this.#options.maxCached ?? 100_000)) this.#verified.clear()
  }
}
