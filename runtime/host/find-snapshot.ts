/**
 * Where a stateful actor placed on this host resumes from: the newest
 * snapshot (largest `seq`) among this host's replica store and what every
 * live peer answers to `actor.snapshot.fetch`, asked in parallel. A peer
 * that does not answer in time or answers garbage counts as having none.
 */

import type { ActorSnapshot } from '../kernel/actor-snapshot.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { actorSnapshotSchema } from './host-rpc-messages.ts'
import type { HostInfo } from './membership.ts'
import { newestSnapshot, type SnapshotStore } from './snapshot-store.ts'

export type FindSnapshotOptions = {
  selfId: string
  alive(): readonly HostInfo[]
  snapshots: SnapshotStore
  connectionTo(hostId: string): RpcConnection | undefined
  timeoutMs: number
}

/** The newest snapshot of `actor` any live host holds, or undefined. */
export async function findSnapshot(
  actor: string,
  options: FindSnapshotOptions,
): Promise<ActorSnapshot | undefined> {
  const peers = options.alive().filter((host) => host.hostId !== options.selfId)
  const fetched = await Promise.all(
    peers.map(async (peer) => {
      const connection = options.connectionTo(peer.hostId)
      if (!connection?.isOpen) return undefined
      try {
        const answer = await connection.request(
          'actor.snapshot.fetch',
          { actor },
          { timeoutMs: options.timeoutMs },
        )
        const parsed = actorSnapshotSchema.safeParse(answer)
        return parsed.success && parsed.data.actor === actor ? parsed.data : undefined
      } catch {
        return undefined
      }
    }),
  )
  return newestSnapshot([options.snapshots.get(actor)?.snapshot, ...fetched])
}
