/**
 * One keep-alive HTTP/1.1 connection of the overload bench's load generator,
 * on a raw TCP socket: it writes a fixed request and parses just enough of
 * each response (status line, Content-Length) to time it. Cheap per request,
 * so a generator process can offer several times what the gateway serves.
 * Responses come back in order, so each is timed from the write of its own
 * request. The generators keep one request outstanding per connection: Bun's
 * HTTP server closes a connection that pipelines requests with bodies.
 */
import type { Socket } from 'bun'

/**
 * Called once per response (status 0: the connection closed before it came), with its latency
 * from the write of its request and from the time it was meant to be sent (see `send`).
 */
export type OnResponse = (status: number, latencyMs: number, sinceIntendedMs: number) => void

const HEADER_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /content-length:\s*(\d+)/i

/** The request bytes for `POST path` with a JSON body. */
export function postRequest(host: string, path: string, body: string): Buffer {
  const bytes = Buffer.from(body)
  const head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`
  return Buffer.concat([Buffer.from(head), bytes])
}

export class LoadConnection {
  readonly #request: Buffer
  readonly #onResponse: OnResponse
  readonly #sentAt: number[] = []
  readonly #intendedAt: number[] = []
  #head = 0
  #buffer: Buffer = Buffer.alloc(0)
  #unflushed: Buffer | undefined
  #socket: Socket | undefined
  #closed = false

  private constructor(request: Buffer, onResponse: OnResponse) {
    this.#request = request
    this.#onResponse = onResponse
  }

  static async open(
    address: { hostname: string; port: number },
    request: Buffer,
    onResponse: OnResponse,
  ): Promise<LoadConnection> {
    const connection = new LoadConnection(request, onResponse)
    connection.#socket = await Bun.connect({
      ...address,
      socket: {
        data: (_socket, data) => connection.#onData(data),
        drain: (socket) => connection.#flush(socket),
        close: () => connection.#onClose(),
        error: () => connection.#onClose(),
      },
    })
    return connection
  }

  /** Requests written and not yet answered. */
  get pending(): number {
    return this.#sentAt.length - this.#head
  }

  get closed(): boolean {
    return this.#closed
  }

  /**
   * Writes the request, timed from `now`, and from `intendedAt` (≤ now: when the schedule meant
   * it to go; by default now), so a generator running late is not hidden from the latency.
   */
  send(now: number, intendedAt = now): void {
    const socket = this.#socket
    if (!socket || this.#closed) return
    this.#sentAt.push(now)
    this.#intendedAt.push(intendedAt)
    const bytes = this.#request
    this.#unflushed = this.#unflushed ? Buffer.concat([this.#unflushed, bytes]) : bytes
    this.#flush(socket)
  }

  close(): void {
    this.#socket?.end()
  }

  #flush(socket: Socket): void {
    const bytes = this.#unflushed
    if (!bytes) return
    const written = socket.write(bytes)
    this.#unflushed = written < bytes.length ? bytes.subarray(Math.max(0, written)) : undefined
  }

  #onData(chunk: Buffer): void {
    const now = performance.now()
    let buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const end = buffer.indexOf(HEADER_END)
      if (end < 0) break
      const head = buffer.toString('latin1', 0, end)
      const length = Number(CONTENT_LENGTH.exec(head)?.[1] ?? 0)
      const total = end + 4 + length
      if (buffer.length < total) break
      const status = Number(head.slice(9, 12))
      buffer = buffer.subarray(total)
      const sentAt = this.#sentAt[this.#head] as number
      const intendedAt = this.#intendedAt[this.#head++] as number
      if (this.#head === this.#sentAt.length) {
        this.#sentAt.length = 0
        this.#intendedAt.length = 0
        this.#head = 0
      }
      this.#onResponse(status, now - sentAt, now - intendedAt)
    }
    this.#buffer = buffer.length === 0 ? Buffer.alloc(0) : Buffer.from(buffer)
  }

  #onClose(): void {
    if (this.#closed) return
    this.#closed = true
    const now = performance.now()
    while (this.#head < this.#sentAt.length) {
      const sentAt = this.#sentAt[this.#head] as number
      this.#onResponse(0, now - sentAt, now - (this.#intendedAt[this.#head++] as number))
    }
  }
}
