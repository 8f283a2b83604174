/**
 * A host's links to its peers: which authenticated connections are open to
 * which host, dialing seeds and gossiped peers, and the heartbeat traffic
 * that feeds {@link Membership}. Several connections to one peer may exist
 * for a moment (both sides dialed); any open one is used. To keep that
 * rare, only the host with the smaller id dials a peer it learned by gossip;
 * seeds are always dialed.
 */
import { toWireError } from '../errors/base-error.ts'
import type { Log } from '../log/create-logger.ts'
import type { EnrolledHost, Enrollment } from '../rpc/enrollment-list.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { heartbeatSchema } from './host-rpc-messages.ts'
import type { HostInfo, Membership } from './membership.ts'

export type PeerLinksOptions = {
  /** This host as it describes itself now (the deployment hash changes with swaps). */
  info: () => HostInfo
  seeds: readonly string[]
  enrollment: Enrollment
  membership: Membership
  connect(options: {
    hostname: string
    port: number
    expectedPeerId?: string | undefined
  }): Promise<RpcConnection>
  log: Log
  /** Called for every connection taken into use (e.g. to send it the current enrollment). */
  onAdopt?: ((connection: RpcConnection) => void) | undefined
}

export class PeerLinks {
  readonly #options: PeerLinksOptions
  readonly #peers = new Map<string, Set<RpcConnection>>()
  /** host id → RPC address, from heartbeats, gossip and successful dials. */
  readonly #addresses = new Map<string, string>()
  readonly #dialing = new Set<string>()
  /** Peer → deployment hash last reported as different, so each mismatch is logged once. */
  readonly #mismatch = new Map<string, string>()
  #stopped = false

  constructor(options: PeerLinksOptions) {
    this.#options = options
  }

  /** An open connection to `hostId`, if any. */
  connectionTo(hostId: string): RpcConnection | undefined {
    for (const connection of this.#peers.get(hostId) ?? []) if (connection.isOpen) return connection
    return undefined
  }

  /** Takes an authenticated connection into use (either direction) and greets the peer. */
  adopt(connection: RpcConnection): void {
    const id = connection.peer.hostId
    let set = this.#peers.get(id)
    if (!set) {
      set = new Set()
      this.#peers.set(id, set)
    }
    set.add(connection)
    connection.onClose(() => {
      set.delete(connection)
      if (!this.connectionTo(id)) this.#options.membership.suspect(id)
    })
    try {
      connection.notify('host.heartbeat', this.#beat(), { control: true })
    } catch {
      // Closed already; the close handler has run.
    }
    this.#options.onAdopt?.(connection)
  }

  /** Handles a `host.heartbeat` from an authenticated peer. */
  onHeartbeat(peer: EnrolledHost, body: unknown): void {
    const parsed = heartbeatSchema.safeParse(body)
    if (!parsed.success || parsed.data.info.hostId !== peer.hostId) {
      this.#options.log('host.heartbeat_refused', {
        peer: peer.hostId,
        reason: 'malformed or for another host',
      })
      return
    }
    // The enrollment list, not the peer, says what role it has.
    this.#options.membership.heard({ ...parsed.data.info, role: peer.role })
    const theirs = parsed.data.info.deployment
    const ours = this.#options.info().deployment
    if (theirs !== ours && this.#mismatch.get(peer.hostId) !== theirs) {
      // Hosts with different actor lists compute different placements: requests bounce between them.
      this.#options.log('host.deployment_mismatch', { peer: peer.hostId, theirs, ours })
      this.#mismatch.set(peer.hostId, theirs)
    } else if (theirs === ours) this.#mismatch.delete(peer.hostId)
    this.#addresses.set(peer.hostId, parsed.data.info.rpc)
    for (const member of parsed.data.members) {
      if (
        member.hostId !== this.#options.info().hostId &&
        this.#options.enrollment.find(member.hostId) &&
        !this.#addresses.has(member.hostId)
      ) {
        this.#addresses.set(member.hostId, member.rpc)
      }
    }
  }

  /** Sends a heartbeat to every peer and dials seeds and gossiped peers that have no connection. */
  tick(): void {
    if (this.#stopped) return
    this.broadcast('host.heartbeat', this.#beat())
    const self = this.#options.info()
    for (const seed of this.#options.seeds) {
      if (seed !== self.rpc && !this.#connectedToAddress(seed)) void this.#dial(seed)
    }
    for (const [hostId, address] of this.#addresses) {
      const member = this.#options.membership.get(hostId)
      const up = member === undefined || member.status === 'alive' || member.status === 'suspect'
      const enrolled = this.#options.enrollment.find(hostId) !== undefined
      if (up && enrolled && hostId > self.hostId && !this.connectionTo(hostId)) {
        void this.#dial(address, hostId)
      }
    }
  }

  /** Control message (heartbeat, leave) to every connected peer; it bypasses the data queue bound. */
  broadcast(method: string, body: unknown): void {
    for (const hostId of this.#peers.keys()) {
      try {
        this.connectionTo(hostId)?.notify(method, body, { control: true })
      } catch {
        // Closed under our feet: the close handler marks the peer suspect.
      }
    }
  }

  /** Closes every connection to a peer (it died or left). */
  closePeer(hostId: string, reason: string): void {
    for (const connection of this.#peers.get(hostId) ?? []) connection.close(reason)
  }

  /** True once every seed is connected and every enrolled host has a connection and was heard. */
  allConnected(): boolean {
    const self = this.#options.info()
    if (!this.#options.seeds.every((seed) => seed === self.rpc || this.#connectedToAddress(seed))) {
      return false
    }
    return this.#options.enrollment.hosts.every(
      (host) =>
        host.hostId === self.hostId ||
        (this.connectionTo(host.hostId) !== undefined &&
          this.#options.membership.get(host.hostId) !== undefined),
    )
  }

  /** Open connections per peer, for status. */
  summary(): { hostId: string; open: number }[] {
    return [...this.#peers.entries()].map(([hostId, set]) => ({
      hostId,
      open: [...set].filter((connection) => connection.isOpen).length,
    }))
  }

  /** Stops dialing; existing connections stay until the RPC node closes them. */
  stop(): void {
    this.#stopped = true
  }

  #beat() {
    const self = this.#options.info()
    return {
      info: self,
      members: this.#options.membership
        .alive()
        .filter((host) => host.hostId !== self.hostId)
        .map((host) => ({ hostId: host.hostId, rpc: host.rpc })),
    }
  }

  #connectedToAddress(address: string): boolean {
    for (const [hostId, known] of this.#addresses) {
      if (known === address && this.connectionTo(hostId)) return true
    }
    return false
  }

  async #dial(address: string, expectedPeerId?: string): Promise<void> {
    if (this.#dialing.has(address) || this.#stopped) return
    this.#dialing.add(address)
    const colon = address.lastIndexOf(':')
    try {
      const connection = await this.#options.connect({
        hostname: address.slice(0, colon),
        port: Number(address.slice(colon + 1)),
        expectedPeerId,
      })
      if (this.#stopped) connection.close('host stopping')
      else {
        this.#addresses.set(connection.peer.hostId, address)
        this.adopt(connection)
      }
    } catch (error) {
      this.#options.log('host.dial_failed', { address, code: toWireError(error).code })
    } finally {
      this.#dialing.delete(address)
    }
  }
}
