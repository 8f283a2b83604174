/**
 * Typed errors of authentication (401 class) and of the gateway's
 * authorization step (403 class). Each code has a section in docs/errors.md;
 * messages say what the caller must fix and never carry a token, a
 * signature or a key.
 */
import {
  BaseError,
  type BaseErrorOptions,
  defineError,
  type ErrorCodeOf,
} from '../../runtime/index.ts'

function options(meta: BaseErrorOptions['meta'], extra: BaseErrorOptions = {}): BaseErrorOptions {
  return { kind: 'application', ...(meta ? { meta } : {}), ...extra }
}

/** No credential on a request for a non-public message. */
export class AuthRequiredError extends defineError('AUTH_REQUIRED') {
  constructor(what: string) {
    super(
      `${what} needs a credential: send 'authorization: Bearer <session token>' (POST /v1/auth/sign-in) or an RFC 9421 signature`,
      options(undefined),
    )
  }
}

/** A signature (SIWE, session token or RFC 9421) does not verify. */
export class AuthBadSignatureError extends defineError('AUTH_BAD_SIGNATURE') {
  constructor(what: string, meta?: BaseErrorOptions['meta']) {
    super(`${what} does not verify; sign again with the right key`, options(meta))
  }
}

/** A sign-in nonce or request nonce was already used (or never issued). */
export class AuthNonceReplayedError extends defineError('AUTH_NONCE_REPLAYED') {
  constructor(what: string) {
    super(
      `${what} was already used, expired or never issued; fetch a fresh nonce and sign again`,
      options(undefined),
    )
  }
}

/** A session token or sign-in message is past its expiry. */
export class AuthExpiredError extends defineError('AUTH_EXPIRED') {
  constructor(what: string, meta?: BaseErrorOptions['meta']) {
    super(`${what} has expired; sign in again`, options(meta))
  }
}

/** The credential is for another domain, chain or URI. */
export class AuthWrongAudienceError extends defineError('AUTH_WRONG_AUDIENCE') {
  constructor(what: string, meta?: BaseErrorOptions['meta']) {
    super(
      `${what}; sign in to this domain (GET /v1/auth/nonce tells its domain and chain id)`,
      options(meta),
    )
  }
}

/** A timestamp is further in the future (or past) than the allowed skew. */
export class AuthClockSkewError extends defineError('AUTH_CLOCK_SKEW') {
  constructor(what: string, meta?: BaseErrorOptions['meta']) {
    super(
      `${what} is outside the allowed clock skew; check the signer's clock (NTP) and sign again`,
      options(meta),
    )
  }
}

/** The credential cannot be parsed. */
export class AuthMalformedError extends defineError('AUTH_MALFORMED') {
  constructor(what: string, extra: BaseErrorOptions = {}) {
    super(`${what}; see docs/security.md for the format`, {
      kind: 'application',
      ...extra,
    })
  }
}

/** The session was signed out or its address's sessions were revoked. */
export class AuthRevokedError extends defineError('AUTH_REVOKED') {
  constructor(what: string) {
    super(`${what} was revoked; sign in again`, options(undefined))
  }
}

/** The access-control answer refused the caller; `code` is its ACCESS_* code. */
export class AccessRefusedError extends BaseError {
  override name = 'AccessRefusedError'
  constructor(code: string, shortMessage: string, meta?: BaseErrorOptions['meta']) {
    super(code, shortMessage, options(meta))
  }
}

/** The access-control actor could not be asked (down, timed out): the request is refused, not let through. */
export class AccessUnavailableError extends defineError('ACCESS_UNAVAILABLE') {
  constructor(cause: unknown) {
    super('the access-control service did not answer; retry shortly', {
      kind: 'runtime',
      cause,
    })
  }
}

/** HTTP status of every code the guard throws, and of the security refusals actors answer with. */
export const AUTH_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  AUTH_REQUIRED: 401,
  AUTH_BAD_SIGNATURE: 401,
  AUTH_NONCE_REPLAYED: 401,
  AUTH_EXPIRED: 401,
  AUTH_WRONG_AUDIENCE: 401,
  AUTH_CLOCK_SKEW: 401,
  AUTH_MALFORMED: 401,
  AUTH_REVOKED: 401,
  ACCESS_NOT_REGISTERED: 403,
  ACCESS_OTHER_ZONE: 403,
  ACCESS_DENIED: 403,
  ACCESS_NAMESPACE: 403,
  CALLER_FORGED: 403,
  CALLER_REFUSED: 403,
  ACCESS_UNAVAILABLE: 503,
  // A media path outside the ENF actor's media folder (or a symlink): the caller's input to fix.
  MEDIA_PATH_REFUSED: 400,
}

/** Every error class of this package; `AuthErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const authErrors = [
  AuthRequiredError,
  AuthBadSignatureError,
  AuthNonceReplayedError,
  AuthExpiredError,
  AuthWrongAudienceError,
  AuthClockSkewError,
  AuthMalformedError,
  AuthRevokedError,
  AccessUnavailableError,
] as const

export type AuthErrorCode = ErrorCodeOf<typeof authErrors>
