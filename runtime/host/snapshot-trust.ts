/**
 * Which snapshot replicas a host believes. Every enrolled peer is
 * authenticated, but a peer is not trusted with another host's actor state:
 * a replica counts only when its signature verifies against the enrollment
 * key of its `signer` (snapshot-seal.ts) and the signer was entitled to the
 * actor:
 *
 * - **Storing** (`actor.snapshot`): the sender must be the signer (a host
 *   replicates only its own snapshots), and the signer must own the actor in
 *   this host's placement — the last one it applied, or the one its current
 *   live view gives (so a new owner is not refused while this host's
 *   reconciler is still catching up with a membership change).
 * - **Restoring** (an `actor.snapshot.fetch` answer): any peer may hand over
 *   a replica, but its signer must be this host itself or the host that
 *   owned the actor before it came here — the last other owner this host's
 *   placements named, or, when this host has never seen another owner (it
 *   just joined), the owner the placement gives without this host.
 *
 * A refused replica is dropped, counted by code (`counters`, in host status)
 * and logged with its header, never its state. Refusing on put answers the
 * sender with the typed error.
 */
import type { Log } from '../log/create-logger.ts'
import { SnapshotSignatureInvalidError, SnapshotSignerNotOwnerError } from './errors.ts'
import type { SignedSnapshot, SnapshotSeal } from './snapshot-seal.ts'

export type SnapshotTrustOptions = {
  seal: SnapshotSeal
  /** Hosts that own `actor` now in this host's view (may store its replicas). */
  ownersNow(actor: string): readonly string[]
  /** Hosts whose snapshots of `actor` this host may resume from (itself included). */
  restoreSigners(actor: string): readonly string[]
  log: Log
}

type Refusal = SnapshotSignatureInvalidError | SnapshotSignerNotOwnerError

export class SnapshotTrust {
  /** Refused replicas by error code. */
  readonly counters: Record<string, number> = {}
  readonly #options: SnapshotTrustOptions

  constructor(options: SnapshotTrustOptions) {
    this.#options = options
  }

  /** Checks a replica a peer asks this host to store; throws the typed refusal. */
  admitReplica(signed: SignedSnapshot, from: string): void {
    const refusal = this.#checkReplica(signed, from)
    if (refusal) throw this.#refused(refusal, signed, from, 'store')
  }

  /** Whether a replica a peer answered to `actor.snapshot.fetch` may be restored from. */
  admitsRestore(signed: SignedSnapshot, from: string): boolean {
    const refusal = this.#checkRestore(signed, from)
    if (refusal) this.#refused(refusal, signed, from, 'restore')
    return refusal === undefined
  }

  #checkReplica(signed: SignedSnapshot, from: string): Refusal | undefined {
    const { actor, signer } = signed
    if (!this.#options.seal.verify(signed)) {
      return new SnapshotSignatureInvalidError(actor, signer, from)
    }
    if (signer !== from) {
      return new SnapshotSignerNotOwnerError(
        actor,
        signer,
        from,
        `a host stores only the sender's own snapshots, and '${from}' is not the signer`,
      )
    }
    const owners = this.#options.ownersNow(actor)
    if (!owners.includes(signer)) {
      return new SnapshotSignerNotOwnerError(
        actor,
        signer,
        from,
        `the placement gives '${actor}' to ${owners.join(', ') || 'no host'}`,
      )
    }
    return undefined
  }

  #checkRestore(signed: SignedSnapshot, from: string): Refusal | undefined {
    const { actor, signer } = signed
    if (!this.#options.seal.verify(signed)) {
      return new SnapshotSignatureInvalidError(actor, signer, from)
    }
    const entitled = this.#options.restoreSigners(actor)
    if (!entitled.includes(signer)) {
      return new SnapshotSignerNotOwnerError(
        actor,
        signer,
        from,
        `only a snapshot by ${entitled.join(' or ')} (this host or the actor's previous owner) is restored`,
      )
    }
    return undefined
  }

  #refused(refusal: Refusal, signed: SignedSnapshot, from: string, op: string): Refusal {
    this.counters[refusal.code] = (this.counters[refusal.code] ?? 0) + 1
    this.#options.log('host.snapshot_refused', {
      op,
      actor: signed.actor,
      signer: signed.signer,
      from,
      seq: signed.seq,
      code: refusal.code,
    })
    return refusal
  }
}
