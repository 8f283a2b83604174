/**
 * One of CometBFT's ABCI socket connections: frames in, requests handled
 * strictly one after another, responses out in order (CometBFT's socket
 * client pops its oldest pending request for every response and fails on a
 * mismatch), so a Flush is answered only after every earlier response. An
 * unexpected handler error is answered with ResponseException and the
 * connection closed, as the Go server does.
 */
import type { Socket } from 'bun'
import { type Request, Response } from 'cosmjs-types/tendermint/abci/types'
import type { AbciApplication } from './abci-application.ts'
import { encodeFrame, FrameDecoder } from './abci-framing.ts'
import { decodeRequest } from './decode-request.ts'
import { routeAbciRequest } from './route-abci-request.ts'

/** What each connection keeps. */
export type ConnectionState = {
  decoder: FrameDecoder
  queue: Uint8Array[]
  running: boolean
  /** Bytes waiting for the socket to drain. */
  pending: Uint8Array[]
  closed: boolean
}

type Log = (event: string, data?: Record<string, unknown>) => void

/** The socket handlers of an ABCI listener serving `app`. */
export function abciSocketHandlers(
  app: AbciApplication,
  log: Log,
): Bun.SocketHandler<ConnectionState> {
  const handlers: Bun.SocketHandler<ConnectionState> = {
    open(socket) {
      socket.data = {
        decoder: new FrameDecoder(),
        queue: [],
        running: false,
        pending: [],
        closed: false,
      }
    },
    data(socket, chunk) {
      const state = socket.data
      let frames: Uint8Array[]
      try {
        frames = state.decoder.push(new Uint8Array(chunk))
      } catch (error) {
        log('abci.frame_error', { message: (error as Error).message })
        socket.end()
        return
      }
      if (frames.length === 0) return
      state.queue.push(...frames)
      if (!state.running) void drainQueue(socket, app, log)
    },
    drain(socket) {
      flushPending(socket)
    },
    close(socket) {
      socket.data.closed = true
    },
    error(_socket, error) {
      log('abci.socket_error', { message: error.message })
    },
  }
  return handlers
}

async function drainQueue(
  socket: Socket<ConnectionState>,
  app: AbciApplication,
  log: Log,
): Promise<void> {
  const state = socket.data
  state.running = true
  // Responses are coalesced into one socket write per burst (CometBFT reads them only after
  // its Flush anyway); a Flush answer is written at once, after everything before it.
  const outbox: Uint8Array[] = []
  const send = () => {
    if (outbox.length === 0) return
    const frames = outbox.splice(0)
    write(socket, frames.length === 1 ? (frames[0] as Uint8Array) : Buffer.concat(frames))
  }
  try {
    while (state.queue.length > 0 && !state.closed) {
      const frame = state.queue.shift() as Uint8Array
      let request: Request
      let response: Response
      try {
        request = decodeRequest(frame)
        response = await routeAbciRequest(app, request)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        log('abci.exception', { message })
        outbox.push(
          encodeFrame(
            Response.encode(Response.fromPartial({ exception: { error: message } })).finish(),
          ),
        )
        send()
        socket.end()
        return
      }
      outbox.push(encodeFrame(Response.encode(response).finish()))
      if (request.flush) send()
    }
    send()
  } finally {
    state.running = false
  }
}

function write(socket: Socket<ConnectionState>, bytes: Uint8Array): void {
  const state = socket.data
  if (state.closed) return
  if (state.pending.length > 0) {
    state.pending.push(bytes)
    return
  }
  const written = socket.write(bytes)
  if (written < bytes.length) state.pending.push(bytes.subarray(Math.max(0, written)))
}

function flushPending(socket: Socket<ConnectionState>): void {
  const state = socket.data
  while (state.pending.length > 0) {
    const next = state.pending[0] as Uint8Array
    const written = socket.write(next)
    if (written < next.length) {
      state.pending[0] = next.subarray(Math.max(0, written))
      return
    }
    state.pending.shift()
  }
}
