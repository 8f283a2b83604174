/**
 * Replicates the snapshots of this host's stateful actors to a peer, as the
 * kernel's snapshot hook: the kernel answers the messages a snapshot covers
 * only once a peer has stored it (RPC `actor.snapshot`), so an acknowledged
 * effect survives the death of this host.
 *
 * The first target is the actor's successor (the host the placement would
 * give it if this one died), then every other live peer. Per actor at most
 * one replication is in flight; snapshots that arrive meanwhile are
 * coalesced into the newest, whose acknowledgement covers them all (a
 * snapshot is the whole state, `seq` orders them). With no other live host
 * in this host's view, answers wait for nothing (this host's own copy is all
 * there is); when live peers exist but none stores it in time, the answers
 * fail with SNAPSHOT_NOT_PERSISTED. Each snapshot sent is sealed with this
 * host's key (snapshot-seal.ts): peers store only replicas the actor's owner
 * signed (snapshot-trust.ts).
 */
import { BaseError } from '../errors/base-error.ts'
import type { ActorSnapshot } from '../kernel/actor-snapshot.ts'
import type { Log } from '../log/create-logger.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { HostUnavailableError } from './errors.ts'
import type { SnapshotSeal } from './snapshot-seal.ts'

export type SnapshotReplicatorOptions = {
  /** Live peers to replicate the actor's snapshots to, best first; empty when this host is alone. */
  targets(actor: string): readonly string[]
  connectionTo(hostId: string): RpcConnection | undefined
  /** Stateless actors have nothing worth replicating. */
  isStateless(actor: string): boolean
  /** Signs what is sent as this host. */
  seal: SnapshotSeal
  timeoutMs: number
  log: Log
}

type Waiter = { resolve(): void; reject(error: unknown): void }
type Lane = { sending: boolean; pending: ActorSnapshot | undefined; waiters: Waiter[] }

export class SnapshotReplicator {
  /** Replications acknowledged by a peer, and sends (fewer: coalesced). */
  readonly counters = { snapshots: 0, sent: 0, failed: 0 }
  readonly #options: SnapshotReplicatorOptions
  readonly #lanes = new Map<string, Lane>()

  constructor(options: SnapshotReplicatorOptions) {
    this.#options = options
  }

  /** The kernel's snapshot hook: resolves once a peer stored this snapshot (or a newer one). */
  replicate(snapshot: ActorSnapshot): Promise<void> | undefined {
    if (this.#options.isStateless(snapshot.actor)) return undefined
    this.counters.snapshots++
    let lane = this.#lanes.get(snapshot.actor)
    if (!lane) {
      lane = { sending: false, pending: undefined, waiters: [] }
      this.#lanes.set(snapshot.actor, lane)
    }
    const { promise, resolve, reject } = Promise.withResolvers<void>()
    lane.pending = snapshot
    lane.waiters.push({ resolve, reject })
    if (!lane.sending) void this.#drain(lane)
    return promise
  }

  async #drain(lane: Lane): Promise<void> {
    lane.sending = true
    while (lane.pending) {
      const snapshot = lane.pending
      const waiters = lane.waiters.splice(0)
      lane.pending = undefined
      try {
        await this.#deliver(snapshot)
        for (const waiter of waiters) waiter.resolve()
      } catch (error) {
        this.counters.failed++
        for (const waiter of waiters) waiter.reject(error)
      }
    }
    lane.sending = false
  }

  async #deliver(snapshot: ActorSnapshot): Promise<void> {
    const targets = this.#options.targets(snapshot.actor)
    let problem = 'no open connection'
    const signed = targets.length > 0 ? this.#options.seal.seal(snapshot) : undefined
    for (const host of targets) {
      const connection = this.#options.connectionTo(host)
      if (!connection?.isOpen) continue
      try {
        this.counters.sent++
        await connection.request('actor.snapshot', signed, { timeoutMs: this.#options.timeoutMs })
        return
      } catch (error) {
        problem = `${host}: ${BaseError.is(error) ? (error as BaseError).code : String(error)}`
        this.#options.log('host.snapshot_replica_failed', { actor: snapshot.actor, host, problem })
      }
    }
    if (targets.length === 0) return
    throw new HostUnavailableError(snapshot.actor, `no peer stored its snapshot (${problem})`)
  }
}
