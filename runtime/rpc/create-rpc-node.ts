/**
 * A host's RPC endpoint: accepts and opens connections over a
 * {@link Transport}, runs the mutual-authentication handshake on each, and
 * hands back {@link RpcConnection}s to enrolled peers only.
 *
 * Before the handshake completes a connection may send only small frames
 * (`HANDSHAKE_MAX_FRAME_BYTES`) and must finish within `handshakeTimeoutMs`;
 * anything else closes it with a logged reason.
 */
import type { Clock } from '../clock/clock.ts'
import { systemClock } from '../clock/clock.ts'
import { toWireError } from '../errors/base-error.ts'
import type { Enrollment } from './enrollment-list.ts'
import { RpcConnectionClosedError, RpcTimeoutError } from './errors.ts'
import { encodeFrame, FrameDecoder } from './frame-codec.ts'
import { acceptHandshake, type HandshakeIo, initiateHandshake } from './handshake.ts'
import type { HostKey } from './host-key.ts'
import {
  defaultRpcLimits,
  RpcConnection,
  type RpcHandler,
  type RpcLimits,
  type RpcLog,
} from './rpc-connection.ts'
import type { ByteStream, Listener, Transport } from './transport.ts'

/** Handshake messages are a few hundred bytes; anything bigger is refused. */
export const HANDSHAKE_MAX_FRAME_BYTES = 4096

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

/** Creates an RPC endpoint for one host. */
export function createRpcNode(options: RpcNodeOptions): RpcNode {
  const clock = options.clock ?? systemClock
  const log: RpcLog = options.log ?? (() => {})
  const limits: RpcLimits = { ...defaultRpcLimits, ...options.limits }
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000
  const maxPendingHandshakes = options.maxPendingHandshakes ?? 128
  const connections = new Set<RpcConnection>()
  const listeners: Listener[] = []
  const refused: Record<string, number> = {}
  const handshaking = new Set<ByteStream>()

  async function secure(stream: ByteStream, initiator: boolean, expectedPeerId?: string) {
    const decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME_BYTES)
    const frames: Uint8Array[] = []
    let waiting: { resolve(frame: Uint8Array): void; reject(error: unknown): void } | undefined
    let failure: unknown
    const fail = (error: unknown) => {
      failure ??= error
      waiting?.reject(error)
      waiting = undefined
    }
    stream.attach({
      data(chunk) {
        try {
          for (const frame of decoder.push(chunk)) {
            if (waiting) {
              waiting.resolve(frame)
              waiting = undefined
            } else frames.push(frame)
          }
        } catch (error) {
          fail(error)
        }
      },
      drain() {},
      close(reason) {
        fail(new RpcConnectionClosedError(`during handshake: ${reason}`))
      },
    })
    const io: HandshakeIo = {
      send: (payload) => void stream.write(encodeFrame(payload)),
      receive: () =>
        new Promise<Uint8Array>((resolve, reject) => {
          const next = frames.shift()
          if (next) resolve(next)
          else if (failure !== undefined) reject(failure)
          else waiting = { resolve, reject }
        }),
    }
    const timer = clock.setTimeout(
      () => fail(new RpcTimeoutError('handshake', handshakeTimeoutMs)),
      handshakeTimeoutMs,
    )
    handshaking.add(stream)
    try {
      const handshake = { hostId: options.hostId, key: options.key, enrollment: options.enrollment }
      const result = initiator
        ? await initiateHandshake(io, { ...handshake, expectedPeerId })
        : await acceptHandshake(io, handshake)
      if (failure !== undefined) throw failure
      const connection = new RpcConnection({
        stream,
        decoder,
        send: result.send,
        receive: result.receive,
        peer: result.peer,
        handler: options.handler,
        clock,
        log,
        limits,
      })
      // Frames that arrived right behind the handshake belong to the session.
      connection.receiveFrames(frames.splice(0))
      connections.add(connection)
      connection.onClose((reason) => {
        connections.delete(connection)
        log('rpc.connection_closed', { peer: result.peer.hostId, reason })
      })
      log('rpc.connection_open', {
        peer: result.peer.hostId,
        role: result.peer.role,
        remote: stream.remoteAddress,
        direction: initiator ? 'outbound' : 'inbound',
      })
      return connection
    } catch (error) {
      const wire = toWireError(error)
      refused[wire.code] = (refused[wire.code] ?? 0) + 1
      log('rpc.handshake_refused', {
        remote: stream.remoteAddress,
        direction: initiator ? 'outbound' : 'inbound',
        code: wire.code,
        reason: wire.shortMessage,
      })
      stream.close()
      throw error
    } finally {
      clock.clearTimeout(timer)
      handshaking.delete(stream)
    }
  }

  return {
    connections,
    refused,
    async listen({ hostname, port }) {
      const listener = await options.transport.listen({
        hostname,
        port,
        onStream(stream) {
          // Unauthenticated peers must not be able to hold unbounded sockets and timers.
          if (handshaking.size >= maxPendingHandshakes) {
            refused.RPC_UNAUTHENTICATED = (refused.RPC_UNAUTHENTICATED ?? 0) + 1
            log('rpc.handshake_refused', {
              remote: stream.remoteAddress,
              direction: 'inbound',
              code: 'RPC_UNAUTHENTICATED',
              reason: `more than ${maxPendingHandshakes} handshakes pending`,
            })
            stream.close()
            return
          }
          secure(stream, false).then(
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
      return secure(stream, true, expectedPeerId)
    },
    close() {
      for (const listener of listeners.splice(0)) listener.close()
      for (const connection of [...connections]) connection.close('node closing')
      for (const stream of [...handshaking]) stream.close()
    },
  }
}
