/**
 * The TCP {@link Transport}: Bun's native sockets (`Bun.listen`,
 * `Bun.connect`). `socket.write` may accept only part of a buffer; the rest
 * is kept in order and written on `drain`, and `write` reports when the
 * stream is above its high-water mark so callers stop producing.
 */
import type { Socket } from 'bun'
import type { ByteStream, ByteStreamHandlers, Listener, Transport } from './transport.ts'

export type TcpTransportOptions = {
  /** Buffered bytes above which `write` returns false. Default 1 MiB. */
  highWaterMark?: number | undefined
}

class TcpByteStream implements ByteStream {
  readonly remoteAddress: string
  #socket: Socket<TcpByteStream>
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  #handlers: ByteStreamHandlers | undefined
  #early: Uint8Array[] = []
  #closedReason: string | undefined
  readonly #highWaterMark: number

  constructor(socket: Socket<TcpByteStream>, highWaterMark: number) {
    this.#socket = socket
    this.#highWaterMark = highWaterMark
    this.remoteAddress = `${socket.remoteAddress}:${(socket as { remotePort?: number }).remotePort ?? '?'}`
  }

  get bufferedBytes(): number {
    return this.#pendingBytes
  }

  write(bytes: Uint8Array): boolean {
    if (this.#closedReason !== undefined) return false
    if (this.#pending.length === 0) {
      const written = this.#socket.write(bytes)
      if (written < bytes.length) this.#enqueue(bytes.subarray(Math.max(0, written)))
    } else this.#enqueue(bytes)
    return this.#pendingBytes < this.#highWaterMark
  }

  #enqueue(bytes: Uint8Array) {
    this.#pending.push(bytes)
    this.#pendingBytes += bytes.length
  }

  attach(handlers: ByteStreamHandlers): void {
    this.#handlers = handlers
    const early = this.#early
    this.#early = []
    for (const chunk of early) handlers.data(chunk)
    if (this.#closedReason !== undefined) handlers.close(this.#closedReason)
  }

  pause(): void {
    if (this.#closedReason === undefined) this.#socket.pause()
  }

  resume(): void {
    if (this.#closedReason === undefined) this.#socket.resume()
  }

  close(): void {
    if (this.#closedReason !== undefined) return
    this.#socket.end()
  }

  /** @internal socket callbacks */
  onData(chunk: Uint8Array) {
    if (this.#handlers) this.#handlers.data(chunk)
    else this.#early.push(new Uint8Array(chunk))
  }

  onDrain() {
    while (this.#pending.length > 0) {
      const head = this.#pending[0] as Uint8Array
      const written = this.#socket.write(head)
      if (written <= 0) break
      this.#pendingBytes -= written
      if (written < head.length) {
        this.#pending[0] = head.subarray(written)
        break
      }
      this.#pending.shift()
    }
    if (this.#pendingBytes < this.#highWaterMark) this.#handlers?.drain()
  }

  onClose(reason: string) {
    if (this.#closedReason !== undefined) return
    this.#closedReason = reason
    this.#pending = []
    this.#pendingBytes = 0
    this.#handlers?.close(reason)
  }
}

const socketHandlers = {
  data(socket: Socket<TcpByteStream>, chunk: Uint8Array) {
    socket.data.onData(chunk)
  },
  drain(socket: Socket<TcpByteStream>) {
    socket.data.onDrain()
  },
  close(socket: Socket<TcpByteStream>, error?: Error) {
    socket.data?.onClose(error ? `socket error: ${error.message}` : 'closed')
  },
  error(socket: Socket<TcpByteStream>, error: Error) {
    socket.data?.onClose(`socket error: ${error.message}`)
  },
}

/** The socket handlers, with an `open` that gives each socket its stream (and hands it to `onStream`). */
function handlersOpening(highWaterMark: number, onStream?: (stream: TcpByteStream) => void) {
  return {
    ...socketHandlers,
    open(socket: Socket<TcpByteStream>) {
      socket.data = new TcpByteStream(socket, highWaterMark)
      onStream?.(socket.data)
    },
  }
}

/** Creates the TCP transport. */
export function createTcpTransport(options: TcpTransportOptions = {}): Transport {
  const highWaterMark = options.highWaterMark ?? 1024 * 1024
  return {
    name: 'tcp',
    async listen({ hostname, port, onStream }): Promise<Listener> {
      const server = Bun.listen<TcpByteStream>({
        hostname,
        port,
        socket: handlersOpening(highWaterMark, onStream),
      })
      return {
        hostname: server.hostname,
        port: server.port,
        close: () => server.stop(true),
      }
    },
    async connect({ hostname, port }): Promise<ByteStream> {
      const socket = await Bun.connect<TcpByteStream>({
        hostname,
        port,
        socket: handlersOpening(highWaterMark),
      })
      return socket.data
    },
  }
}
