/**
 * What `vigil host status` and `GET /v1/admin/status` show about one host:
 * who it is, whom it sees, where actors are placed, its actors' counters,
 * its connections and refusals, and its memory.
 */

import type { ActorInfo, ActorSystem } from '../kernel/actor-system.ts'
import type { RouterCounters } from './actor-router.ts'
import type { HostInfo, Member, Membership } from './membership.ts'
import type { Placement } from './place-actors.ts'

export type HostStatus = {
  host: HostInfo
  ready: boolean
  members: (Member & { lastSeenAgoMs: number })[]
  placement: Placement['actors']
  load: Placement['load']
  actors: (ActorInfo & {
    received: number
    processed: number
    failed: number
    restarts: number
    mailboxDepth: number
  })[]
  connections: { hostId: string; open: number }[]
  refused: Readonly<Record<string, number>>
  /** Snapshot replicas refused (bad signature, signer not entitled), by error code. */
  snapshotsRefused: Readonly<Record<string, number>>
  router: RouterCounters
  rssMb: number
}

/** The parts of a host a status report reads. */
export type HostStatusSources = {
  info: HostInfo
  ready: boolean
  now: number
  membership: Membership
  placement: Placement
  system: ActorSystem
  connections: { hostId: string; open: number }[]
  refused: Readonly<Record<string, number>>
  snapshotsRefused: Readonly<Record<string, number>>
  router: RouterCounters
}

/** Builds the status report from a host's parts. */
export function hostStatus(sources: HostStatusSources): HostStatus {
  const { system, placement, now } = sources
  return {
    host: sources.info,
    ready: sources.ready,
    members: sources.membership.members().map((m) => ({ ...m, lastSeenAgoMs: now - m.lastSeen })),
    placement: placement.actors,
    load: placement.load,
    actors: system.listActors().map((actor) => {
      const stats = system.stats(actor.name)
      return {
        ...actor,
        received: stats.received,
        processed: stats.processed,
        failed: stats.failed,
        restarts: stats.restarts,
        mailboxDepth: stats.mailboxDepth,
      }
    }),
    connections: sources.connections,
    refused: sources.refused,
    snapshotsRefused: { ...sources.snapshotsRefused },
    router: sources.router,
    rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
  }
}
