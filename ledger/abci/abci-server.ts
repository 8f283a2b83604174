/**
 * The ABCI 2.0 socket server: accepts CometBFT's four connections (query,
 * snapshot, mempool, consensus) on a TCP or Unix socket. Each connection
 * handles its requests in order (abci-connection.ts) and routes each by its
 * type, not by the connection it came on, since the handshake's Info arrives
 * on the query connection (route-abci-request.ts, with the guard rails
 * against node panics). An unexpected handler error closes the connection;
 * CometBFT then stops, and the app and node are restarted as a pair (see
 * ledger/localnet/).
 */
import { unlink } from 'node:fs/promises'
import type { TCPSocketListener, UnixSocketListener } from 'bun'
import type { AbciApplication } from './abci-application.ts'
import { abciSocketHandlers, type ConnectionState } from './abci-connection.ts'

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

/** Starts listening; resolves once the socket is bound. */
export async function createAbciServer(options: AbciServerOptions): Promise<AbciServer> {
  const handlers = abciSocketHandlers(options.app, options.log ?? (() => {}))
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
