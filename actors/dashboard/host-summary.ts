/**
 * What the dashboard shows about one host, from the host's status report
 * (HostServices.status, the same data as `GET /v1/admin/status`) plus the
 * machine's load average: role, readiness, RSS, placement load, and every
 * actor running here with its counters and version.
 */
import { cpus, loadavg } from 'node:os'
import type { HostStatus } from '../../runtime/index.ts'

export type ActorRow = {
  name: string
  kind: string
  version: number
  status: string
  module: string
  received: number
  processed: number
  failed: number
  restarts: number
  mailboxDepth: number
}

export type HostSummary = {
  hostId: string
  role: string
  ready: boolean
  http: string
  /** Wall-clock ms the process started. */
  startedAt: number
  rssMb: number
  /** One-minute load average of the machine, and its CPU count. */
  load1: number
  cpus: number
  /** Placement weight on this host, and its capacity. */
  placementLoad: number
  capacity: number
  actors: ActorRow[]
  members: { hostId: string; role: string; status: string; http: string; lastSeenAgoMs: number }[]
  placement: Record<string, { hosts: readonly string[]; problem?: string | undefined }>
}

/** The summary of the host whose status this is. */
export function hostSummary(status: HostStatus): HostSummary {
  const { host } = status
  return {
    hostId: host.hostId,
    role: host.role,
    ready: status.ready,
    http: host.http,
    startedAt: host.startedAt,
    rssMb: status.rssMb,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    cpus: cpus().length,
    placementLoad: status.load[host.hostId] ?? 0,
    capacity: host.capacity,
    actors: status.actors.map((actor) => ({
      name: actor.name,
      kind: actor.kind,
      version: actor.version,
      status: actor.status,
      module: actor.module,
      received: actor.received,
      processed: actor.processed,
      failed: actor.failed,
      restarts: actor.restarts,
      mailboxDepth: actor.mailboxDepth,
    })),
    members: status.members.map((member) => ({
      hostId: member.hostId,
      role: member.role,
      status: member.status,
      http: member.http,
      lastSeenAgoMs: member.lastSeenAgoMs,
    })),
    placement: Object.fromEntries(
      Object.entries(status.placement).map(([actor, placed]) => [
        actor,
        { hosts: placed.hosts, ...(placed.problem ? { problem: placed.problem } : {}) },
      ]),
    ),
  }
}
