/**
 * Membership and failure detection for one host's view of its domain.
 *
 * Peers announce themselves with heartbeats every `heartbeatIntervalMs`. A
 * peer that has been silent for `suspicionTimeoutMs` is declared dead; the
 * check runs every heartbeat interval, so a crashed host is noticed at most
 * `suspicionTimeoutMs + heartbeatIntervalMs` after its last heartbeat. A
 * lost connection marks the peer suspect (it may reconnect in time); a
 * suspect that neither reconnects nor is heard within
 * `connectionLossTimeoutMs` is declared dead too — a killed process closes
 * its sockets at once, so a crash is noticed within that plus one heartbeat
 * interval, while a silent partition still waits the suspicion timeout. A
 * graceful `leave` removes it at once. Time comes from the injected clock.
 *
 * Silence counts only while this host was listening: when the check timer
 * fires late (the event loop was blocked, the process descheduled or paused
 * by a collector), the lateness is credited to every peer, as Cassandra's
 * failure detector ignores its own local pauses. Otherwise a host that
 * stalled for longer than the suspicion timeout would declare every peer dead
 * on waking, before reading the heartbeats queued in its sockets.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'
import type { HostRole } from '../rpc/enrollment-list.ts'

/** A host as it describes itself in heartbeats. */
export type HostInfo = {
  readonly hostId: string
  readonly role: HostRole
  readonly labels: Readonly<Record<string, string>>
  readonly capacity: number
  /** host:port of its RPC listener. */
  readonly rpc: string
  /** Base URL of its HTTP gateway. */
  readonly http: string
  /** Clock time it started; a restarted host has a newer one. */
  readonly startedAt: number
  /** Hash of the deployment (actors, modules, placement rules) the host runs; peers should agree. */
  readonly deployment: string
}

export type MemberStatus = 'alive' | 'suspect' | 'dead' | 'left'

export type Member = HostInfo & {
  readonly status: MemberStatus
  /** Clock time of the last heartbeat (or of joining, for this host). */
  readonly lastSeen: number
  /** Clock time its last connection closed, while it is suspect. */
  readonly suspectSince?: number | undefined
  /** This host's paused total (see Membership.paused) when the peer was last heard. */
  readonly pausedAtSeen?: number | undefined
  /** This host's paused total when the peer became suspect. */
  readonly pausedAtSuspect?: number | undefined
}

export type MembershipOptions = {
  self: HostInfo
  clock: Clock
  heartbeatIntervalMs: number
  suspicionTimeoutMs: number
  /** A suspect (every connection lost) not heard again within this long is dead; default suspicionTimeoutMs. */
  connectionLossTimeoutMs?: number | undefined
  /** Called after any change of the set of alive hosts. */
  onChange?: ((alive: readonly HostInfo[]) => void) | undefined
  /** Called when a peer is declared dead or leaves. */
  onDown?: ((member: Member, why: 'dead' | 'left') => void) | undefined
}

export class Membership {
  #self: HostInfo
  readonly #clock: Clock
  readonly #options: MembershipOptions
  readonly #members = new Map<string, Member>()
  #timer: TimerHandle | undefined
  #paused = 0

  constructor(options: MembershipOptions) {
    this.#self = options.self
    this.#clock = options.clock
    this.#options = options
  }

  /** This host's own record. */
  get self(): HostInfo {
    return this.#self
  }

  /** Updates this host's own record (its deployment changes with a swap). */
  setSelf(info: HostInfo): void {
    this.#self = info
  }

  /** Milliseconds the check timer has fired late in total: time this host was not listening. */
  get paused(): number {
    return this.#paused
  }

  /** Starts the periodic check. */
  start(): void {
    if (this.#timer !== undefined) return
    const interval = this.#options.heartbeatIntervalMs
    let dueAt = this.#clock.now() + interval
    const tick = () => {
      const now = this.#clock.now()
      this.#paused += Math.max(0, now - dueAt)
      this.check()
      dueAt = now + interval
      this.#timer = this.#clock.setTimeout(tick, interval)
    }
    this.#timer = this.#clock.setTimeout(tick, interval)
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Records a heartbeat from a peer (authenticated by the RPC layer). */
  heard(info: HostInfo): void {
    if (info.hostId === this.#self.hostId) return
    const before = this.#members.get(info.hostId)
    // A heartbeat from an older incarnation (delayed in flight) must not revive a newer one's record.
    if (before && before.startedAt > info.startedAt) return
    const wasAlive = before?.status === 'alive' || before?.status === 'suspect'
    this.#members.set(info.hostId, {
      ...info,
      status: 'alive',
      lastSeen: this.#clock.now(),
      pausedAtSeen: this.#paused,
    })
    const changed =
      !wasAlive ||
      before?.startedAt !== info.startedAt ||
      before.rpc !== info.rpc ||
      JSON.stringify(before.labels) !== JSON.stringify(info.labels) ||
      before.capacity !== info.capacity
    if (changed) this.#changed()
  }

  /** The connection to a peer dropped: suspect it until it is heard again or times out. */
  suspect(hostId: string): void {
    const member = this.#members.get(hostId)
    if (member?.status === 'alive') {
      this.#members.set(hostId, {
        ...member,
        status: 'suspect',
        suspectSince: this.#clock.now(),
        pausedAtSuspect: this.#paused,
      })
    }
  }

  /** The peer announced a graceful departure. */
  left(hostId: string): void {
    const member = this.#members.get(hostId)
    if (!member || member.status === 'left' || member.status === 'dead') return
    const gone = { ...member, status: 'left' as const }
    this.#members.set(hostId, gone)
    this.#options.onDown?.(gone, 'left')
    this.#changed()
  }

  /** Declares silent peers dead. Called by the timer; callable directly in tests. */
  check(): void {
    const lossMs = this.#options.connectionLossTimeoutMs ?? this.#options.suspicionTimeoutMs
    let changed = false
    for (const member of this.#members.values()) {
      if (member.status !== 'alive' && member.status !== 'suspect') continue
      const lost =
        member.status === 'suspect' &&
        this.#listenedSince(member.suspectSince, member.pausedAtSuspect) >= lossMs
      const silent = this.#listenedSince(member.lastSeen, member.pausedAtSeen)
      if (lost || silent >= this.#options.suspicionTimeoutMs) {
        const dead = { ...member, status: 'dead' as const }
        this.#members.set(member.hostId, dead)
        this.#options.onDown?.(dead, 'dead')
        changed = true
      }
    }
    if (changed) this.#changed()
  }

  /** Hosts considered up (alive or suspect), including this one, sorted by id. */
  alive(): HostInfo[] {
    const up = [...this.#members.values()].filter(
      (m) => m.status === 'alive' || m.status === 'suspect',
    )
    return [this.#self, ...up].sort((a, b) => (a.hostId < b.hostId ? -1 : 1))
  }

  /** Every host ever seen with its status, this one first. */
  members(): Member[] {
    return [
      { ...this.#self, status: 'alive', lastSeen: this.#clock.now() },
      ...[...this.#members.values()].sort((a, b) => (a.hostId < b.hostId ? -1 : 1)),
    ]
  }

  /** The member record of a peer. */
  get(hostId: string): Member | undefined {
    return this.#members.get(hostId)
  }

  /** Time since `at` during which this host was listening (its pauses since then taken out). */
  #listenedSince(at: number | undefined, pausedAt: number | undefined): number {
    if (at === undefined) return 0
    return this.#clock.now() - at - (this.#paused - (pausedAt ?? this.#paused))
  }

  #changed(): void {
    this.#options.onChange?.(this.alive())
  }
}
