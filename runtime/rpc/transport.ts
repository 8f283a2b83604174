/**
 * What the RPC layer needs from a network: listen and connect, and ordered
 * byte streams with backpressure. Framing, authentication, encryption and
 * multiplexing sit above this interface, so every transport gets them the
 * same way; `transport.conformance.ts` checks each implementation.
 */

/** Callbacks a stream owner installs; data that arrives earlier is buffered until then. */
export type ByteStreamHandlers = {
  data(chunk: Uint8Array): void
  /** The stream's outbound buffer fell below its high-water mark. */
  drain(): void
  /** The stream closed (by either side or an error); called once. */
  close(reason: string): void
}

/** One ordered, reliable, bidirectional byte stream. */
export interface ByteStream {
  /** `host:port` of the other end, for logs. */
  readonly remoteAddress: string
  /** Bytes accepted by `write` but not yet handed to the operating system. */
  readonly bufferedBytes: number
  /**
   * Queues bytes for sending, in order. Returns false when the buffer is at or
   * above the high-water mark: the caller should wait for `drain`.
   */
  write(bytes: Uint8Array): boolean
  attach(handlers: ByteStreamHandlers): void
  /**
   * Stops reading: the peer's writes back up into its own buffers (TCP
   * backpressure) instead of this host's memory. Data already read may still
   * be delivered.
   */
  pause(): void
  /** Reads again after `pause()`. */
  resume(): void
  /** Closes the stream; queued bytes may be dropped. */
  close(): void
}

export type ListenOptions = {
  hostname: string
  /** 0 picks a free port; read the bound one from the listener. */
  port: number
  onStream(stream: ByteStream): void
}

export interface Listener {
  readonly hostname: string
  readonly port: number
  close(): void
}

export type ConnectOptions = { hostname: string; port: number }

export interface Transport {
  readonly name: string
  listen(options: ListenOptions): Promise<Listener>
  connect(options: ConnectOptions): Promise<ByteStream>
}
