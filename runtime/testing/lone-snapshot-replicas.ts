/**
 * The snapshot parts of a host RPC handler for a host alone in its own
 * enrollment (unit tests, the RPC fuzzer): a fresh key seals its snapshots,
 * and no peer's replica is admitted (the placement gives every actor to no
 * other host).
 */

import { SnapshotSeal } from '../host/snapshot-seal.ts'
import { SnapshotStore } from '../host/snapshot-store.ts'
import { SnapshotTrust } from '../host/snapshot-trust.ts'
import { generateHostKey } from '../rpc/host-key.ts'

/** Store, trust and seal for `hostId`, the only enrolled host. */
export function loneSnapshotReplicas(hostId: string) {
  const key = generateHostKey()
  const self = { hostId, role: 'fog' as const, publicKey: key.publicKeyBase64 }
  const enrollment = {
    domain: 'test',
    hosts: [self],
    find: (id: string) => (id === hostId ? self : undefined),
  }
  const snapshotSeal = new SnapshotSeal({ hostId, key, enrollment })
  const snapshotTrust = new SnapshotTrust({
    seal: snapshotSeal,
    ownersNow: () => [hostId],
    restoreSigners: () => [hostId],
    log: () => {},
  })
  return { snapshots: new SnapshotStore(), snapshotTrust, snapshotSeal }
}
