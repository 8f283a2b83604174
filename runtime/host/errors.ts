/**
 * Errors of host-level routing and placement; documented in docs/errors.md.
 */
import type { BaseErrorOptions } from '../errors/base-error.ts'
import { defineError } from '../errors/define-error.ts'

/** The host that should serve a request is down or unreachable, and the request cannot be retried. */
export class HostUnavailableError extends defineError('HOST_UNAVAILABLE') {
  constructor(
    actor: string,
    reason: string,
    options: BaseErrorOptions & { maybeDelivered?: boolean } = {},
  ) {
    const { maybeDelivered = false, ...rest } = options
    super(
      `No host could serve '${actor}': ${reason}${maybeDelivered ? ' (the request may have been processed; it is not idempotent, so it was not retried)' : ''}`,
      { meta: { actor, maybeDelivered }, ...rest },
    )
  }
}

/** No live host satisfies the actor's placement rule. */
export class PlacementNoHostError extends defineError('PLACEMENT_NO_HOST') {
  constructor(actor: string, problem: string, options: BaseErrorOptions = {}) {
    super(`Actor '${actor}' is not placed: ${problem}`, {
      meta: { actor },
      ...options,
    })
  }
}

/** The host asked does not run the actor (placement moved); never delivered, always safe to retry. */
export class PlacementStaleError extends defineError('PLACEMENT_STALE') {
  constructor(actor: string, hostId: string, options: BaseErrorOptions = {}) {
    super(
      `Host '${hostId}' does not run '${actor}' (placement changed); the request was not delivered`,
      { meta: { actor, hostId }, ...options },
    )
  }
}

/** A peer sent a message on behalf of another host: `host:X` callers are accepted only from X. */
export class CallerForgedError extends defineError('CALLER_FORGED') {
  constructor(callerId: string, fromPeerId: string, options: BaseErrorOptions = {}) {
    super(
      `Peer '${fromPeerId}' sent a message as '${callerId}'; a host may act only as host:${fromPeerId} (or forward a user's credential)`,
      { kind: 'application', meta: { caller: callerId, peer: fromPeerId }, ...options },
    )
  }
}

/** A peer forwarded a caller this host does not accept (by default: a user caller without a credential). */
export class CallerRefusedError extends defineError('CALLER_REFUSED') {
  constructor(
    callerId: string,
    fromPeerId: string,
    reason: string,
    options: BaseErrorOptions = {},
  ) {
    super(`Caller '${callerId}' forwarded by '${fromPeerId}' is refused: ${reason}`, {
      kind: 'application',
      meta: { caller: callerId, peer: fromPeerId },
      ...options,
    })
  }
}

/** A hot swap named a module that is not registered with the host (deployed or `swappable`). */
export class SwapModuleNotAllowedError extends defineError('SWAP_MODULE_NOT_ALLOWED') {
  constructor(actor: string, module: string, options: BaseErrorOptions = {}) {
    super(
      `Host refuses to swap '${actor}' to a module it does not know; list it under 'swappable' in every host's config and restart them`,
      { kind: 'application', meta: { actor, module: module.slice(0, 300) }, ...options },
    )
  }
}

/** A snapshot replica whose signature does not verify against its signer's enrolled host key. */
export class SnapshotSignatureInvalidError extends defineError('SNAPSHOT_SIGNATURE_INVALID') {
  constructor(actor: string, signer: string, from: string, options: BaseErrorOptions = {}) {
    super(
      `Snapshot of '${actor}' from '${from}' is refused: it is not signed by the enrolled key of '${signer}'`,
      { kind: 'application', meta: { actor, signer, from }, ...options },
    )
  }
}

/** A validly signed snapshot replica from a host that was not entitled to the actor's state. */
export class SnapshotSignerNotOwnerError extends defineError('SNAPSHOT_SIGNER_NOT_OWNER') {
  constructor(
    actor: string,
    signer: string,
    from: string,
    reason: string,
    options: BaseErrorOptions = {},
  ) {
    super(`Snapshot of '${actor}' signed by '${signer}' (from '${from}') is refused: ${reason}`, {
      kind: 'application',
      meta: { actor, signer, from },
      ...options,
    })
  }
}

/** A deploy (`/v1/admin/deploy`, RPC `host.deploy`) named a module that is not in the host's `deployable` list. */
export class DeployModuleNotAllowedError extends defineError('DEPLOY_MODULE_NOT_ALLOWED') {
  constructor(
    actor: string,
    module: string,
    known: readonly string[],
    options: BaseErrorOptions = {},
  ) {
    super(
      `Host refuses to deploy '${actor}': '${module.slice(0, 100)}' is not one of its deployable modules (${known.join(', ') || 'none'}); name a module by its key in every host's 'deployable' config`,
      { kind: 'application', meta: { actor, module: module.slice(0, 300) }, ...options },
    )
  }
}

/** A deploy named an actor the domain already deploys with a different spec. */
export class ActorAlreadyDeployedError extends defineError('ACTOR_ALREADY_DEPLOYED') {
  constructor(actor: string, options: BaseErrorOptions = {}) {
    super(
      `Actor '${actor}' is already deployed with another module, arguments or placement; deploy it under another name, or hot-swap its code`,
      { kind: 'application', meta: { actor }, ...options },
    )
  }
}
