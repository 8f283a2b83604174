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

/** A peer sent a message on behalf of another host: `host:X` callers are accepted only from X. */
export class CallerForgedError extends BaseError {
  static override readonly code = 'CALLER_FORGED'
  override name = 'CallerForgedError'
  constructor(callerId: string, fromPeerId: string, options: BaseErrorOptions = {}) {
    super(
      CallerForgedError.code,
      `Peer '${fromPeerId}' sent a message as '${callerId}'; a host may act only as host:${fromPeerId} (or forward a user's credential)`,
      { kind: 'application', meta: { caller: callerId, peer: fromPeerId }, ...options },
    )
  }
}

/** A peer forwarded a caller this host does not accept (by default: a user caller without a credential). */
export class CallerRefusedError extends BaseError {
  static override readonly code = 'CALLER_REFUSED'
  override name = 'CallerRefusedError'
  constructor(
    callerId: string,
    fromPeerId: string,
    reason: string,
    options: BaseErrorOptions = {},
  ) {
    super(
      CallerRefusedError.code,
      `Caller '${callerId}' forwarded by '${fromPeerId}' is refused: ${reason}`,
      { kind: 'application', meta: { caller: callerId, peer: fromPeerId }, ...options },
    )
  }
}

/** A hot swap named a module that is not registered with the host (deployed or `swappable`). */
export class SwapModuleNotAllowedError extends BaseError {
  static override readonly code = 'SWAP_MODULE_NOT_ALLOWED'
  override name = 'SwapModuleNotAllowedError'
  constructor(actor: string, module: string, options: BaseErrorOptions = {}) {
    super(
      SwapModuleNotAllowedError.code,
      `Host refuses to swap '${actor}' to a module it does not know; list it under 'swappable' in every host's config and restart them`,
      { kind: 'application', meta: { actor, module: module.slice(0, 300) }, ...options },
    )
  }
}

/** A snapshot replica whose signature does not verify against its signer's enrolled host key. */
export class SnapshotSignatureInvalidError extends BaseError {
  static override readonly code = 'SNAPSHOT_SIGNATURE_INVALID'
  override name = 'SnapshotSignatureInvalidError'
  constructor(actor: string, signer: string, from: string, options: BaseErrorOptions = {}) {
    super(
      SnapshotSignatureInvalidError.code,
      `Snapshot of '${actor}' from '${from}' is refused: it is not signed by the enrolled key of '${signer}'`,
      { kind: 'application', meta: { actor, signer, from }, ...options },
    )
  }
}

/** A validly signed snapshot replica from a host that was not entitled to the actor's state. */
export class SnapshotSignerNotOwnerError extends BaseError {
  static override readonly code = 'SNAPSHOT_SIGNER_NOT_OWNER'
  override name = 'SnapshotSignerNotOwnerError'
  constructor(
    actor: string,
    signer: string,
    from: string,
    reason: string,
    options: BaseErrorOptions = {},
  ) {
    super(
      SnapshotSignerNotOwnerError.code,
      `Snapshot of '${actor}' signed by '${signer}' (from '${from}') is refused: ${reason}`,
      { kind: 'application', meta: { actor, signer, from }, ...options },
    )
  }
}

/** A deploy (`/v1/admin/deploy`, RPC `host.deploy`) named a module that is not in the host's `deployable` list. */
export class DeployModuleNotAllowedError extends BaseError {
  static override readonly code = 'DEPLOY_MODULE_NOT_ALLOWED'
  override name = 'DeployModuleNotAllowedError'
  constructor(
    actor: string,
    module: string,
    known: readonly string[],
    options: BaseErrorOptions = {},
  ) {
    super(
      DeployModuleNotAllowedError.code,
      `Host refuses to deploy '${actor}': '${module.slice(0, 100)}' is not one of its deployable modules (${known.join(', ') || 'none'}); name a module by its key in every host's 'deployable' config`,
      { kind: 'application', meta: { actor, module: module.slice(0, 300) }, ...options },
    )
  }
}

/** A deploy named an actor the domain already deploys with a different spec. */
export class ActorAlreadyDeployedError extends BaseError {
  static override readonly code = 'ACTOR_ALREADY_DEPLOYED'
  override name = 'ActorAlreadyDeployedError'
  constructor(actor: string, options: BaseErrorOptions = {}) {
    super(
      ActorAlreadyDeployedError.code,
      `Actor '${actor}' is already deployed with another module, arguments or placement; deploy it under another name, or hot-swap its code`,
      { kind: 'application', meta: { actor }, ...options },
    )
  }
}
