/**
 * A connection's byte stream before its session exists: the handshake reads
 * and writes whole frames of at most `HANDSHAKE_MAX_FRAME_BYTES`, in order,
 * and the channel fails at once on a bad frame, a closed stream or the
 * handshake deadline. Frames that arrive right behind the handshake are kept
 * for the session (`takeRest`).
 */
import type { Clock } from '../clock/clock.ts'
import { RpcConnectionClosedError, RpcTimeoutError } from './errors.ts'
import { encodeFrame, FrameDecoder } from './frame-codec.ts'
import type { HandshakeIo } from './handshake.ts'
import type { ByteStream } from './transport.ts'

/** Handshake messages are a few hundred bytes; anything bigger is refused. */
export const HANDSHAKE_MAX_FRAME_BYTES = 4096

export type HandshakeChannel = {
  readonly io: HandshakeIo
  /** The decoder the session continues with (it may hold a partial frame). */
  readonly decoder: FrameDecoder
  /** Throws what failed the channel, if anything did. */
  assertOpen(): void
  /** Frames received but not read by the handshake. */
  takeRest(): Uint8Array[]
  /** Stops the deadline. */
  dispose(): void
}

/** Attaches to `stream` and fails it after `timeoutMs` unless disposed first. */
export function openHandshakeChannel(
  stream: ByteStream,
  clock: Clock,
  timeoutMs: number,
): HandshakeChannel {
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
  const timer = clock.setTimeout(() => fail(new RpcTimeoutError('handshake', timeoutMs)), timeoutMs)
  return {
    decoder,
    io: {
      send: (payload) => void stream.write(encodeFrame(payload)),
      receive: () =>
        new Promise<Uint8Array>((resolve, reject) => {
          const next = frames.shift()
          if (next) resolve(next)
          else if (failure !== undefined) reject(failure)
          else waiting = { resolve, reject }
        }),
    },
    assertOpen() {
      if (failure !== undefined) throw failure
    },
    takeRest: () => frames.splice(0),
    dispose: () => clock.clearTimeout(timer),
  }
}
