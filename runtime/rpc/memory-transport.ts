/**
 * An in-process {@link Transport}: listeners and streams live in one
 * `MemoryNetwork`, bytes move between stream pairs in chunks on later
 * macrotasks (never synchronously, like a socket), with the same
 * high-water-mark and drain behaviour as TCP. For unit tests of everything
 * above the transport; it passes the same conformance suite as TCP.
 */
import type { ByteStream, ByteStreamHandlers, Listener, Transport } from './transport.ts'

export type MemoryTransportOptions = {
  /** Buffered bytes above which `write` returns false. Default 1 MiB. */
  highWaterMark?: number | undefined
  /** Bytes moved per macrotask, like a socket's read size. Default 64 KiB. */
  chunkBytes?: number | undefined
}

type MemoryLimits = { highWaterMark: number; chunkBytes: number }

class MemoryByteStream implements ByteStream {
  readonly remoteAddress: string
  peer: MemoryByteStream | undefined
  #queue: Uint8Array[] = []
  #queued = 0
  #handlers: ByteStreamHandlers | undefined
  #early: Uint8Array[] = []
  #closed: string | undefined
  #pumping = false
  /** Set by this stream's reader: the peer's pump holds its bytes meanwhile. */
  paused = false
  readonly #options: MemoryLimits

  constructor(remoteAddress: string, options: MemoryLimits) {
    this.remoteAddress = remoteAddress
    this.#options = options
  }

  get bufferedBytes(): number {
    return this.#queued
  }

  write(bytes: Uint8Array): boolean {
    if (this.#closed !== undefined) return false
    this.#queue.push(new Uint8Array(bytes))
    this.#queued += bytes.length
    this.schedule()
    return this.#queued < this.#options.highWaterMark
  }

  attach(handlers: ByteStreamHandlers): void {
    this.#handlers = handlers
    for (const chunk of this.#early.splice(0)) handlers.data(chunk)
    if (this.#closed !== undefined) handlers.close(this.#closed)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.peer?.schedule()
  }

  close(): void {
    this.closed('closed')
    this.peer?.closed('closed by peer')
  }

  /** @internal */
  receive(chunk: Uint8Array): void {
    if (this.#closed !== undefined) return
    if (this.#handlers) this.#handlers.data(chunk)
    else this.#early.push(chunk)
  }

  /** @internal */
  closed(reason: string): void {
    if (this.#closed !== undefined) return
    this.#closed = reason
    this.#queue = []
    this.#queued = 0
    this.#handlers?.close(reason)
  }

  /** @internal */
  schedule(): void {
    if (this.#pumping) return
    this.#pumping = true
    setTimeout(() => this.#pump(), 0)
  }

  #pump(): void {
    this.#pumping = false
    if (this.#closed !== undefined || !this.peer || this.peer.paused) return
    const wasAbove = this.#queued >= this.#options.highWaterMark
    let budget = this.#options.chunkBytes
    while (budget > 0 && this.#queue.length > 0 && !this.peer.paused) {
      const head = this.#queue[0] as Uint8Array
      const part = head.length <= budget ? head : head.subarray(0, budget)
      if (part.length === head.length) this.#queue.shift()
      else this.#queue[0] = head.subarray(part.length)
      this.#queued -= part.length
      budget -= part.length
      this.peer.receive(part)
    }
    if (wasAbove && this.#queued < this.#options.highWaterMark) this.#handlers?.drain()
    if (this.#queue.length > 0) this.schedule()
  }
}

/** Where memory listeners are found; transports sharing one network can connect. */
export class MemoryNetwork {
  readonly listeners = new Map<number, (stream: ByteStream) => void>()
  nextPort = 40_000
  nextClientPort = 50_000
}

/** Creates an in-memory transport on `network` (a fresh one by default). */
export function createMemoryTransport(
  network = new MemoryNetwork(),
  options: MemoryTransportOptions = {},
): Transport {
  const resolved: MemoryLimits = {
    highWaterMark: options.highWaterMark ?? 1024 * 1024,
    chunkBytes: options.chunkBytes ?? 64 * 1024,
  }
  return {
    name: 'memory',
    async listen({ hostname, port, onStream }): Promise<Listener> {
      const bound = port === 0 ? network.nextPort++ : port
      if (network.listeners.has(bound)) throw new Error(`memory port ${bound} is in use`)
      network.listeners.set(bound, onStream)
      return { hostname, port: bound, close: () => network.listeners.delete(bound) }
    },
    async connect({ hostname, port }): Promise<ByteStream> {
      const accept = network.listeners.get(port)
      if (!accept) throw new Error(`connection refused: nothing listens on memory port ${port}`)
      const clientPort = network.nextClientPort++
      const client = new MemoryByteStream(`${hostname}:${port}`, resolved)
      const server = new MemoryByteStream(`memory:${clientPort}`, resolved)
      client.peer = server
      server.peer = client
      accept(server)
      return client
    },
  }
}
