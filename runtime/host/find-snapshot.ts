/**
 * Where a stateful actor placed on this host resumes from: the newest
 * snapshot (largest `seq`) among this host's replica store and what every
 * live peer answers to `actor.snapshot.fetch`, asked in parallel. A peer
 * that does not answer in time or answers garbage counts as having none; an
 * answer snapshot-trust.ts refuses (a bad signature, or a signer not entitled
 * to the actor) is ignored, counted and logged, so a forged higher `seq`
 * cannot displace the legitimate copy.
 */

import type { ActorSnapshot } from '../kernel/actor-snapshot.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { signedSnapshotSchema } from './host-rpc-messages.ts'
import type { HostInfo } from './membership.ts'
import { openSnapshot, type SignedSnapshot } from './snapshot-seal.ts'
import { newestSnapshot, type SnapshotStore } from './snapshot-store.ts'
import type { SnapshotTrust } from './snapshot-trust.ts'

export type FindSnapshotOptions = {
  selfId: string
  alive(): readonly HostInfo[]
  snapshots: SnapshotStore
  trust: SnapshotTrust
  connectionTo(hostId: string): RpcConnection | undefined
  timeoutMs: number
}

/** The newest admitted snapshot of `actor` any live host holds, or undefined. */
export async function findSnapshot(
  actor: string,
  options: FindSnapshotOptions,
): Promise<ActorSnapshot | undefined> {
  const peers = options.alive().filter((host) => host.hostId !== options.selfId)
  const fetched = await Promise.all(peers.map((peer) => fetchFrom(peer.hostId, actor, options)))
  // Replicas in the store were admitted when they were stored.
  const newest = newestSnapshot([options.snapshots.get(actor)?.snapshot, ...fetched])
  return newest ? openSnapshot(newest) : undefined
}

/** One peer's answer, if it is a well-formed replica of `actor` that the trust rule admits. */
async function fetchFrom(
  hostId: string,
  actor: string,
  options: FindSnapshotOptions,
): Promise<SignedSnapshot | undefined> {
  const connection = options.connectionTo(hostId)
  if (!connection?.isOpen) return undefined
  try {
    const answer = await connection.request(
      'actor.snapshot.fetch',
      { actor },
      { timeoutMs: options.timeoutMs },
    )
    const parsed = signedSnapshotSchema.safeParse(answer)
    if (!parsed.success || parsed.data.actor !== actor) return undefined
    return options.trust.admitsRestore(parsed.data, hostId) ? parsed.data : undefined
  } catch {
    return undefined
  }
}
