/**
 * Errors the HTTP gateway answers itself (before or instead of an actor);
 * documented in docs/errors.md, mapped to HTTP in error-response.ts.
 */
import { BaseError } from '../errors/base-error.ts'

/** The request cannot be read or is not JSON. */
export class BadRequestError extends BaseError {
  static override readonly code = 'BAD_REQUEST'
  override name = 'BadRequestError'
  constructor(message: string) {
    super(BadRequestError.code, message, { kind: 'application' })
  }
}

/** The request body is larger than the gateway accepts. */
export class PayloadTooLargeError extends BaseError {
  static override readonly code = 'PAYLOAD_TOO_LARGE'
  override name = 'PayloadTooLargeError'
  constructor(limit: number) {
    super(
      PayloadTooLargeError.code,
      `request body exceeds ${limit} bytes; send a smaller payload`,
      { kind: 'application', meta: { limit } },
    )
  }
}

/** The admin bearer token is missing or wrong. */
export class UnauthorizedError extends BaseError {
  static override readonly code = 'UNAUTHORIZED'
  override name = 'UnauthorizedError'
  constructor(message: string) {
    super(UnauthorizedError.code, message, { kind: 'application' })
  }
}

/** The host has no admin token file: its admin routes are off. */
export class AdminDisabledError extends BaseError {
  static override readonly code = 'ADMIN_DISABLED'
  override name = 'AdminDisabledError'
  constructor() {
    super(AdminDisabledError.code, 'admin routes are disabled on this host: set adminTokenFile', {
      kind: 'application',
    })
  }
}

/** No route matches the method and path. */
export class RouteNotFoundError extends BaseError {
  static override readonly code = 'NOT_FOUND'
  override name = 'RouteNotFoundError'
  constructor(method: string, path: string) {
    super(RouteNotFoundError.code, `no route ${method} ${path}; see /v1/openapi.json`, {
      kind: 'application',
    })
  }
}

/** A message that is not public reached a gateway guard that named no caller. */
export class AuthRequiredError extends BaseError {
  static override readonly code = 'AUTH_REQUIRED'
  override name = 'AuthRequiredError'
  constructor(actor: string, message: string) {
    super(
      AuthRequiredError.code,
      `'${message}' to actor '${actor}' is not public: sign in (see /v1/auth) and send your credential`,
      { kind: 'application', meta: { actor, type: message } },
    )
  }
}

/** The gateway is serving as many actor requests as it admits and its wait queue is full or too slow. */
export class GatewayOverloadedError extends BaseError {
  static override readonly code = 'GATEWAY_OVERLOADED'
  override name = 'GatewayOverloadedError'
  constructor(maxInFlight: number, maxQueueMs: number) {
    super(
      GatewayOverloadedError.code,
      `the gateway is overloaded (${maxInFlight} requests in flight and no slot within ${maxQueueMs} ms); retry after the Retry-After delay`,
      { meta: { maxInFlight, maxQueueMs } },
    )
  }
}
