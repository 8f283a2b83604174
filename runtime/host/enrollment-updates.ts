/**
 * Enrollment changes while the domain runs: a newer signed list arrives from
 * the operator (POST /v1/admin/enrollment) or from a peer (`host.enrollment`),
 * is verified against this host's configured administrator key, replaces the
 * live enrollment (new handshakes from revoked hosts are refused from then
 * on), closes the revoked hosts' connections at once, marks them gone, is
 * written to the enrollment file (a restart keeps it) and is passed on to
 * every peer. Every new connection is greeted with the current list, so a
 * host that was away catches up.
 */
import type { Log } from '../log/create-logger.ts'
import type { RpcNode } from '../rpc/create-rpc-node.ts'
import type { EnrollmentChange, LiveEnrollment } from '../rpc/live-enrollment.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import type { Membership } from './membership.ts'

export const ENROLLMENT_METHOD = 'host.enrollment'

export type EnrollmentUpdates = {
  /** The live enrollment handshakes and links read. */
  readonly enrollment: LiveEnrollment
  /** A list a peer passed on: applied when valid and newer, else logged. */
  fromPeer(peerId: string, raw: unknown): void
  /** Applies a signed list (throws ENROLLMENT_INVALID); passes it on when it was newer. */
  apply(raw: unknown, from?: string | undefined): EnrollmentChange
  /** Sends the current list to a newly connected peer. */
  greet(connection: RpcConnection): void
}

export function enrollmentUpdates(options: {
  live: LiveEnrollment
  file: string
  log: Log
  rpc: () => RpcNode | undefined
  broadcast: (method: string, body: unknown) => void
  membership: Membership
}): EnrollmentUpdates {
  const { live, log } = options
  const updates: EnrollmentUpdates = {
    enrollment: live,
    fromPeer(peerId, raw) {
      try {
        updates.apply(raw, peerId)
      } catch (error) {
        log('host.enrollment_refused', { peer: peerId, code: (error as { code?: string }).code })
      }
    },
    apply(raw, from) {
      const change = live.replace(raw)
      if (!change.applied) return change
      log('host.enrollment_updated', {
        issuedAt: change.issuedAt,
        revoked: change.revoked,
        from: from ?? 'operator',
      })
      const revoked = new Set(change.revoked)
      for (const connection of [...(options.rpc()?.connections ?? [])]) {
        if (revoked.has(connection.peer.hostId)) connection.close('host revoked')
      }
      for (const hostId of revoked) options.membership.left(hostId)
      void Bun.write(options.file, JSON.stringify(live.signed, null, 2)).catch((error: Error) =>
        log('host.enrollment_not_saved', { file: options.file, message: error.message }),
      )
      options.broadcast(ENROLLMENT_METHOD, live.signed)
      return change
    },
    greet(connection) {
      try {
        connection.notify(ENROLLMENT_METHOD, live.signed, { control: true })
      } catch {
        // Closed already.
      }
    },
  }
  return updates
}
