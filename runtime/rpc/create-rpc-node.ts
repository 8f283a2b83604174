/**
 * A host's RPC endpoint: accepts and opens connections over a
 * {@link Transport}, runs the mutual-authentication handshake on each, and
 * hands back {@link RpcConnection}s to enrolled peers only.
 *
 * Before the handshake completes a connection may send only small frames
 * (`HANDSHAKE_MAX_FRAME_BYTES`, handshake-channel.ts) and must finish within
 * `handshakeTimeoutMs`; anything else closes it with a logged reason.
 */
import type { Clock } from '../clock/clock.ts'
import { systemClock } from '../clock/clock.ts'
import { toWireError } from '../errors/base-error.ts'
import type { Enrollment } from './enrollment-list.ts'
import { RpcUnauthenticatedError } from './errors.ts'
import { acceptHandshake, type HandshakeResult, initiateHandshake } from './handshake.ts'
import { type HandshakeChannel, openHandshakeChannel } from './handshake-channel.ts'
import type { HostKey } from './host-key.ts'
import {
  defaultRpcLimits,
  RpcConnection,
  type RpcHandler,
  type RpcLimits,
  type RpcLog,
} from './rpc-connection.ts'
import type { ByteStream, Listener, Transport } from './transport.ts'

export type RpcNodeOptions = {
  transport: Transport
  hostId: string
  key: HostKey
  enrollment: Enrollment
  handler: RpcHandler
  clock?: Clock | undefined
  log?: RpcLog | undefined
  limits?: Partial<RpcLimits> | undefined
  /** Time allowed for a handshake, ms. Default 5,000. */
  handshakeTimeoutMs?: number | undefined
  /** Connections allowed to be mid-handshake at once; more are closed at once. Default 128. */
  maxPendingHandshakes?: number | undefined
  /** Called for every authenticated inbound connection. */
  onConnection?: ((connection: RpcConnection) => void) | undefined
}

export type RpcNode = {
  listen(options: { hostname: string; port: number }): Promise<Listener>
  /** Opens an authenticated connection; rejects if the handshake fails. */
  connect(options: {
    hostname: string
    port: number
    expectedPeerId?: string | undefined
  }): Promise<RpcConnection>
  /** Open authenticated connections (both directions). */
  readonly connections: ReadonlySet<RpcConnection>
  /** Counters of refused connections by error code. */
  readonly refused: Readonly<Record<string, number>>
  close(): void
}

/** What one node's connections share. */
type NodeState = {
  readonly options: RpcNodeOptions
  readonly clock: Clock
  readonly log: RpcLog
  readonly limits: RpcLimits
  readonly handshakeTimeoutMs: number
  readonly connections: Set<RpcConnection>
  readonly refused: Record<string, number>
  readonly handshaking: Set<ByteStream>
}

type Direction = 'inbound' | 'outbound'

/** Creates an RPC endpoint for one host. */
export function createRpcNode(options: RpcNodeOptions): RpcNode {
  const node: NodeState = {
    options,
    clock: options.clock ?? systemClock,
    log: options.log ?? (() => {}),
    limits: { ...defaultRpcLimits, ...options.limits },
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5000,
    connections: new Set(),
    refused: {},
    handshaking: new Set(),
  }
  const maxPendingHandshakes = options.maxPendingHandshakes ?? 128
  const listeners: Listener[] = []
  return {
    connections: node.connections,
    refused: node.refused,
    async listen({ hostname, port }) {
      const listener = await options.transport.listen({
        hostname,
        port,
        onStream(stream) {
          // Unauthenticated peers must not be able to hold unbounded sockets and timers.
          if (node.handshaking.size >= maxPendingHandshakes) {
            refuse(node, stream, 'inbound', {
              code: RpcUnauthenticatedError.code,
              reason: `more than ${maxPendingHandshakes} handshakes pending`,
            })
            return
          }
          secure(node, stream, 'inbound').then(
            (connection) => options.onConnection?.(connection),
            () => {},
          )
        },
      })
      listeners.push(listener)
      return listener
    },
    async connect({ hostname, port, expectedPeerId }) {
      const stream = await options.transport.connect({ hostname, port })
      return secure(node, stream, 'outbound', expectedPeerId)
    },
    close() {
      for (const listener of listeners.splice(0)) listener.close()
      for (const connection of [...node.connections]) connection.close('node closing')
      for (const stream of [...node.handshaking]) stream.close()
    },
  }
}

/** Runs the handshake on `stream`; resolves with the session or rejects (stream closed). */
async function secure(
  node: NodeState,
  stream: ByteStream,
  direction: Direction,
  expectedPeerId?: string,
): Promise<RpcConnection> {
  const channel = openHandshakeChannel(stream, node.clock, node.handshakeTimeoutMs)
  node.handshaking.add(stream)
  try {
    const { hostId, key, enrollment } = node.options
    const result =
      direction === 'outbound'
        ? await initiateHandshake(channel.io, { hostId, key, enrollment, expectedPeerId })
        : await acceptHandshake(channel.io, { hostId, key, enrollment })
    channel.assertOpen()
    return openSession(node, stream, channel, result, direction)
  } catch (error) {
    const wire = toWireError(error)
    refuse(node, stream, direction, { code: wire.code, reason: wire.shortMessage })
    throw error
  } finally {
    channel.dispose()
    node.handshaking.delete(stream)
  }
}

/** The authenticated connection over `stream`, tracked until it closes. */
function openSession(
  node: NodeState,
  stream: ByteStream,
  channel: HandshakeChannel,
  result: HandshakeResult,
  direction: Direction,
): RpcConnection {
  const { clock, log, limits, connections } = node
  const connection = new RpcConnection({
    stream,
    decoder: channel.decoder,
    send: result.send,
    receive: result.receive,
    peer: result.peer,
    handler: node.options.handler,
    clock,
    log,
    limits,
  })
  // Frames that arrived right behind the handshake belong to the session.
  connection.receiveFrames(channel.takeRest())
  connections.add(connection)
  connection.onClose((reason) => {
    connections.delete(connection)
    log('rpc.connection_closed', { peer: result.peer.hostId, reason })
  })
  log('rpc.connection_open', {
    peer: result.peer.hostId,
    role: result.peer.role,
    remote: stream.remoteAddress,
    direction,
  })
  return connection
}

/** Counts and logs a refused connection, and closes its stream. */
function refuse(
  node: NodeState,
  stream: ByteStream,
  direction: Direction,
  refusal: { readonly code: string; readonly reason: string },
): void {
  node.refused[refusal.code] = (node.refused[refusal.code] ?? 0) + 1
  node.log('rpc.handshake_refused', { remote: stream.remoteAddress, direction, ...refusal })
  stream.close()
}
