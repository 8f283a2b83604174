/**
 * Errors of host-level routing and placement; documented in docs/errors.md.
 */
import { BaseError, type BaseErrorOptions } from '../errors/base-error.ts'

/** The host that should serve a request is down or unreachable, and the request cannot be retried. */
export class HostUnavailableError extends BaseError {
  static override readonly code = 'HOST_UNAVAILABLE'
  override name = 'HostUnavailableError'
  constructor(
    actor: string,
    reason: string,
    options: BaseErrorOptions & { maybeDelivered?: boolean } = {},
  ) {
    const { maybeDelivered = false, ...rest } = options
    super(
      HostUnavailableError.code,
      `No host could serve '${actor}': ${reason}${maybeDelivered ? ' (the request may have been processed; it is not idempotent, so it was not retried)' : ''}`,
      { meta: { actor, maybeDelivered }, ...rest },
    )
  }
}

/** No live host satisfies the actor's placement rule. */
export class PlacementNoHostError extends BaseError {
  static override readonly code = 'PLACEMENT_NO_HOST'
  override name = 'PlacementNoHostError'
  constructor(actor: string, problem: string, options: BaseErrorOptions = {}) {
    super(PlacementNoHostError.code, `Actor '${actor}' is not placed: ${problem}`, {
      meta: { actor },
      ...options,
    })
  }
}

/** The host asked does not run the actor (placement moved); never delivered, always safe to retry. */
export class PlacementStaleError extends BaseError {
  static override readonly code = 'PLACEMENT_STALE'
  override name = 'PlacementStaleError'
  constructor(actor: string, hostId: string, options: BaseErrorOptions = {}) {
    super(
      PlacementStaleError.code,
      `Host '${hostId}' does not run '${actor}' (placement changed); the request was not delivered`,
      { meta: { actor, hostId }, ...options },
    )
  }
}
