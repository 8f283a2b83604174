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
  /** Waits between rounds when every peer refused because its placement does not yet show this host as the owner; default a timer. */
  wait?: ((ms: number) => Promise<void>) | undefined
}

/** How long a replica refused only as "not the owner" is retried: peers' placements converge within their suspicion timeout. */
const NOT_OWNER_RETRY_ROUNDS = 20
const NOT_OWNER_RETRY_MS = 50

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

  /**
   * Sends to the targets in turn until one stores it. Right after a
   * placement change a peer may not yet see this host as the actor's owner
   * and refuses with SNAPSHOT_SIGNER_NOT_OWNER; when that is all that went
   * wrong, the round is tried again for a bounded time (the answers wait).
   */
  async #deliver(snapshot: ActorSnapshot): Promise<void> {
    const wait = this.#options.wait ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)))
    for (let round = 0; ; round++) {
      const targets = this.#options.targets(snapshot.actor)
      if (targets.length === 0) return
      const outcome = await this.#round(snapshot, targets)
      if (outcome.stored) return
      if (!outcome.onlyNotOwner || round >= NOT_OWNER_RETRY_ROUNDS) {
        throw new HostUnavailableError(
          snapshot.actor,
          `no peer stored its snapshot (${outcome.problem})`,
        )
      }
      await wait(NOT_OWNER_RETRY_MS)
    }
  }

  async #round(
    snapshot: ActorSnapshot,
    targets: readonly string[],
  ): Promise<{ stored: boolean; onlyNotOwner: boolean; problem: string }> {
    const signed = this.#options.seal.seal(snapshot)
    let problem = 'no open connection'
    let onlyNotOwner = false
    for (const host of targets) {
      const connection = this.#options.connectionTo(host)
      if (!connection?.isOpen) continue
      try {
        this.counters.sent++
        await connection.request('actor.snapshot', signed, { timeoutMs: this.#options.timeoutMs })
        return { stored: true, onlyNotOwner: false, problem }
      } catch (error) {
        const code = BaseError.is(error) ? (error as BaseError).code : String(error)
        onlyNotOwner =
          (problem === 'no open connection' || onlyNotOwner) && code === 'SNAPSHOT_SIGNER_NOT_OWNER'
        problem = `${host}: ${code}`
        this.#options.log('host.snapshot_replica_failed', { actor: snapshot.actor, host, problem })
      }
    }
    return { stored: false, onlyNotOwner, problem }
  }
}
