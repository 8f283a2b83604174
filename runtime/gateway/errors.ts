/**
 * Errors the HTTP gateway answers itself (before or instead of an actor);
 * documented in docs/errors.md, mapped to HTTP in error-response.ts.
 */
import { defineError } from '../errors/define-error.ts'

/** The request cannot be read or is not JSON. */
export class BadRequestError extends defineError('BAD_REQUEST') {
  constructor(message: string) {
    super(message, { kind: 'application' })
  }
}

/** The request body is larger than the gateway accepts. */
export class PayloadTooLargeError extends defineError('PAYLOAD_TOO_LARGE') {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes; send a smaller payload`, {
      kind: 'application',
      meta: { limit },
    })
  }
}

/** The admin bearer token is missing or wrong. */
export class UnauthorizedError extends defineError('UNAUTHORIZED') {
  constructor(message: string) {
    super(message, { kind: 'application' })
  }
}

/** The host has no admin token file: its admin routes are off. */
export class AdminDisabledError extends defineError('ADMIN_DISABLED') {
  constructor() {
    super('admin routes are disabled on this host: set adminTokenFile', {
      kind: 'application',
    })
  }
}

/** No route matches the method and path. */
export class RouteNotFoundError extends defineError('NOT_FOUND') {
  constructor(method: string, path: string) {
    super(`no route ${method} ${path}; see /v1/openapi.json`, {
      kind: 'application',
    })
  }
}

/** A message that is not public reached a gateway guard that named no caller. */
export class AuthRequiredError extends defineError('AUTH_REQUIRED') {
  constructor(actor: string, message: string) {
    super(
      `'${message}' to actor '${actor}' is not public: sign in (see /v1/auth) and send your credential`,
      { kind: 'application', meta: { actor, type: message } },
    )
  }
}

/** The gateway is serving as many actor requests as it admits and its wait queue is full or too slow. */
export class GatewayOverloadedError extends defineError('GATEWAY_OVERLOADED') {
  constructor(maxInFlight: number, maxQueueMs: number) {
    super(
      `the gateway is overloaded (${maxInFlight} requests in flight and no slot within ${maxQueueMs} ms); retry after the Retry-After delay`,
      { meta: { maxInFlight, maxQueueMs } },
    )
  }
}
