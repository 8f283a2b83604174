/**
 * The ABCI 2.0 socket server: accepts CometBFT's four connections (query,
 * snapshot, mempool, consensus) on a TCP or Unix socket and routes each
 * request by its type, not by the connection it came on (the handshake's Info
 * arrives on the query connection). On each connection requests are handled
 * strictly one after another and answered in order (CometBFT's socket client
 * pops its oldest pending request for every response and fails on a
 * mismatch), so a Flush is answered only after every earlier response.
 *
 * Guard rails against node panics: ProcessProposal never answers status 0,
 * FinalizeBlock always answers one tx result per tx. An unexpected handler
 * error is answered with ResponseException and the connection closed, as the
 * Go server does; CometBFT then stops, and the app and node are restarted as
 * a pair (see ledger/localnet/).
 */
import { unlink } from 'node:fs/promises'
import type { Socket, TCPSocketListener, UnixSocketListener } from 'bun'
import {
  type Request,
  Response,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types'
import type { AbciApplication } from './abci-application.ts'
import { encodeFrame, FrameDecoder } from './abci-framing.ts'
import { decodeRequest } from './decode-request.ts'

export type AbciServerOptions = {
  readonly app: AbciApplication
  /** `unix:///path/to.sock` or `tcp://host:port` (port 0 picks a free one). */
  readonly address: string
  /** Structured events (connection errors, exceptions); never secrets. */
  readonly log?: ((event: string, data?: Record<string, unknown>) => void) | undefined
}

export type AbciServer = {
  /** The bound address (`tcp://host:port` with the actual port, or the unix path). */
  readonly address: string
  close(): Promise<void>
}

type ConnectionState = {
  decoder: FrameDecoder
  queue: Uint8Array[]
  running: boolean
  /** Bytes waiting for the socket to drain. */
  pending: Uint8Array[]
  closed: boolean
}

/** Starts listening; resolves once the socket is bound. */
export async function createAbciServer(options: AbciServerOptions): Promise<AbciServer> {
  const { app } = options
  const log = options.log ?? (() => {})

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
      if (!state.running) void drainQueue(socket)
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

  async function drainQueue(socket: Socket<ConnectionState>): Promise<void> {
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
          response = await handle(request)
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

  async function handle(request: Request): Promise<Response> {
    if (request.flush) return Response.fromPartial({ flush: {} })
    if (request.echo) return Response.fromPartial({ echo: { message: request.echo.message } })
    if (request.info) return Response.fromPartial({ info: await app.info(request.info) })
    if (request.initChain)
      return Response.fromPartial({ initChain: await app.initChain(request.initChain) })
    if (request.checkTx)
      return Response.fromPartial({ checkTx: await app.checkTx(request.checkTx) })
    if (request.query) return Response.fromPartial({ query: await app.query(request.query) })
    if (request.commit) return Response.fromPartial({ commit: await app.commit() })
    if (request.prepareProposal) {
      return Response.fromPartial({
        prepareProposal: await app.prepareProposal(request.prepareProposal),
      })
    }
    if (request.processProposal) {
      const answer = await app.processProposal(request.processProposal)
      // Status 0 (UNKNOWN) panics the node: anything but REJECT is ACCEPT.
      const status =
        answer.status === ResponseProcessProposal_ProposalStatus.REJECT
          ? ResponseProcessProposal_ProposalStatus.REJECT
          : ResponseProcessProposal_ProposalStatus.ACCEPT
      return Response.fromPartial({ processProposal: { status } })
    }
    if (request.finalizeBlock) {
      const answer = await app.finalizeBlock(request.finalizeBlock)
      const expected = request.finalizeBlock.txs.length
      if ((answer.txResults?.length ?? 0) !== expected) {
        throw new Error(
          `app answered ${answer.txResults?.length ?? 0} tx results for ${expected} txs`,
        )
      }
      return Response.fromPartial({ finalizeBlock: answer })
    }
    // Vote extensions are off (vote_extensions_enable_height = 0) and state sync is not offered;
    // answer these with explicit non-zero statuses in case they are ever enabled.
    if (request.extendVote)
      return Response.fromPartial({ extendVote: { voteExtension: new Uint8Array() } })
    if (request.verifyVoteExtension) {
      return Response.fromPartial({
        verifyVoteExtension: { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT },
      })
    }
    if (request.listSnapshots) return Response.fromPartial({ listSnapshots: { snapshots: [] } })
    if (request.offerSnapshot) {
      return Response.fromPartial({
        offerSnapshot: { result: ResponseOfferSnapshot_Result.REJECT },
      })
    }
    if (request.loadSnapshotChunk)
      return Response.fromPartial({ loadSnapshotChunk: { chunk: new Uint8Array() } })
    if (request.applySnapshotChunk) {
      return Response.fromPartial({
        applySnapshotChunk: { result: ResponseApplySnapshotChunk_Result.ABORT },
      })
    }
    throw new Error('unknown ABCI request type')
  }

  const address = options.address
  let listener: TCPSocketListener<ConnectionState> | UnixSocketListener<ConnectionState>
  let bound: string
  if (address.startsWith('unix://')) {
    const path = address.slice('unix://'.length)
    await unlink(path).catch(() => {})
    listener = Bun.listen<ConnectionState>({ unix: path, socket: handlers })
    bound = address
  } else if (address.startsWith('tcp://')) {
    const url = new URL(address)
    const tcp = Bun.listen<ConnectionState>({
      hostname: url.hostname,
      port: Number(url.port || '0'),
      socket: handlers,
    })
    listener = tcp
    bound = `tcp://${url.hostname}:${tcp.port}`
  } else {
    throw new TypeError(`ABCI address must start with unix:// or tcp://, got '${address}'`)
  }

  return {
    address: bound,
    async close() {
      listener.stop(true)
      if (address.startsWith('unix://'))
        await unlink(address.slice('unix://'.length)).catch(() => {})
    },
  }
}
