/**
 * An enrolled peer that misbehaves, for the snapshot-trust tests: a real RPC
 * node over TCP loopback with its own enrolled key, which dials real hosts,
 * keeps itself alive in their membership with heartbeats, and then sends and
 * answers whatever the test scripts — forged snapshot replicas in particular.
 * It never runs actors (give it a role the deployment's placement excludes).
 */

import { SnapshotSeal } from '../host/snapshot-seal.ts'
import type { Log } from '../log/create-logger.ts'
import { createRpcNode } from '../rpc/create-rpc-node.ts'
import type { HostRole } from '../rpc/enrollment-list.ts'
import { readEnrollmentList } from '../rpc/enrollment-list.ts'
import { readHostKey } from '../rpc/host-key.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { createTcpTransport } from '../rpc/tcp-transport.ts'

export type RoguePeerOptions = {
  hostId: string
  role: HostRole
  keyFile: string
  enrollmentFile: string
  adminPublicKey: string
  heartbeatIntervalMs: number
  /** What it answers to `actor.snapshot.fetch`; null by default. */
  answerFetch?: ((actor: string) => unknown) | undefined
}

export type RoguePeer = {
  /** Signs snapshots with the rogue's own (enrolled) key. */
  readonly seal: SnapshotSeal
  /** `actor.snapshot.fetch` requests it answered. */
  readonly fetches: string[]
  /** Dials a host's RPC address (`host:port`) and starts beating to it. */
  join(address: string): Promise<void>
  /** Sends `method` to a joined host and returns its answer. */
  request(hostId: string, method: string, body: unknown): Promise<unknown>
  stop(): void
}

/** Starts the rogue peer's RPC listener (port 0 on loopback). */
export async function startRoguePeer(options: RoguePeerOptions): Promise<RoguePeer> {
  const key = await readHostKey(options.keyFile)
  const enrollment = await readEnrollmentList(options.enrollmentFile, options.adminPublicKey)
  const fetches: string[] = []
  const connections = new Map<string, RpcConnection>()
  const quiet: Log = () => {}
  const node = createRpcNode({
    transport: createTcpTransport(),
    hostId: options.hostId,
    key,
    enrollment,
    log: quiet,
    handler: {
      request(method, body) {
        if (method !== 'actor.snapshot.fetch') return null
        const actor = String((body as { actor?: unknown }).actor)
        fetches.push(actor)
        return options.answerFetch?.(actor) ?? null
      },
    },
    onConnection: (connection) => connections.set(connection.peer.hostId, connection),
  })
  const listener = await node.listen({ hostname: '127.0.0.1', port: 0 })
  const info = {
    hostId: options.hostId,
    role: options.role,
    labels: {},
    capacity: 1,
    rpc: `127.0.0.1:${listener.port}`,
    http: 'http://127.0.0.1:9',
    startedAt: Date.now(),
    deployment: 'rogue',
  }
  const beat = () => {
    for (const connection of connections.values()) {
      if (connection.isOpen) connection.notify('host.heartbeat', { info, members: [] })
    }
  }
  const timer = setInterval(beat, options.heartbeatIntervalMs)
  return {
    seal: new SnapshotSeal({ hostId: options.hostId, key, enrollment }),
    fetches,
    async join(address) {
      const colon = address.lastIndexOf(':')
      const connection = await node.connect({
        hostname: address.slice(0, colon),
        port: Number(address.slice(colon + 1)),
      })
      connections.set(connection.peer.hostId, connection)
      beat()
    },
    request(hostId, method, body) {
      const connection = connections.get(hostId)
      if (!connection) throw new Error(`rogue peer has no connection to ${hostId}`)
      return connection.request(method, body)
    },
    stop() {
      clearInterval(timer)
      node.close()
    },
  }
}
