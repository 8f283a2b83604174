/**
 * Multiplexed request/reply and one-way messages over one authenticated,
 * encrypted byte stream.
 *
 * Messages sent in the same tick are batched into one frame (one seal, one
 * socket write), which is what makes ≥ 100k msgs/s on one connection
 * possible. Each message is msgpack-encoded when it is sent, so a value that
 * cannot cross hosts fails at the caller. The outbound queue is bounded:
 * while the socket is above its high-water mark frames wait for `drain`, and
 * once `maxOutboundBytes` are queued new sends fail with RpcQueueFullError.
 * Anything a peer sends that does not decode, authenticate or fit closes the
 * connection with a logged reason; it never throws into the host.
 *
 * Wire format of a frame's plaintext: concatenated msgpack values, each one
 *   [0, id, method, body]   request
 *   [1, id, reply]          success reply
 *   [2, id, wireError]      error reply
 *   [3, method, body]       one-way message
 */
import { Decoder, Encoder } from '@msgpack/msgpack'
import type { Clock, TimerHandle } from '../clock/clock.ts'
import { BaseError, isWireError, toWireError } from '../errors/base-error.ts'
import type { EnrolledHost } from './enrollment-list.ts'
import {
  RpcConnectionClosedError,
  RpcFrameMalformedError,
  RpcFrameTooLargeError,
  RpcQueueFullError,
  RpcTimeoutError,
} from './errors.ts'
import { encodeFrame, type FrameDecoder } from './frame-codec.ts'
import type { SessionCipher } from './session-cipher.ts'
import type { ByteStream } from './transport.ts'

/** Serves a peer's requests and one-way messages. */
export type RpcHandler = {
  request(method: string, body: unknown, peer: EnrolledHost): unknown
  notify?(method: string, body: unknown, peer: EnrolledHost): void
}

export type RpcLimits = {
  /** Largest frame accepted or sent, bytes. Default 4 MiB. */
  maxFrameBytes: number
  /** Outbound bytes queued (batches + socket buffer) before sends fail. Default 8 MiB. */
  maxOutboundBytes: number
  /** Default request timeout, ms. Default 10,000. */
  requestTimeoutMs: number
  /**
   * Peer requests being served at once before this side stops reading the
   * socket (the peer then sees TCP backpressure). Default 4096.
   */
  maxServing: number
}

export const defaultRpcLimits: RpcLimits = {
  maxFrameBytes: 4 * 1024 * 1024,
  maxOutboundBytes: 8 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  maxServing: 4096,
}

/** Logs one structured event; connections never write to the console themselves. */
export type RpcLog = (event: string, data: Record<string, unknown>) => void

export type RpcConnectionOptions = {
  stream: ByteStream
  decoder: FrameDecoder
  send: SessionCipher
  receive: SessionCipher
  peer: EnrolledHost
  handler: RpcHandler
  clock: Clock
  log: RpcLog
  limits: RpcLimits
}

type Pending = {
  resolve(value: unknown): void
  reject(error: unknown): void
  method: string
  deadline: number
  timeoutMs: number
}

const REQUEST = 0
const REPLY_OK = 1
const REPLY_ERROR = 2
const NOTIFY = 3
/** Bytes reserved in a frame for the GCM tag and slack. */
const FRAME_OVERHEAD = 64
/** Timeouts are checked at this granularity (one timer per connection, not per request). */
const SWEEP_MS = 25

export class RpcConnection {
  readonly peer: EnrolledHost
  readonly #stream: ByteStream
  readonly #decoder: FrameDecoder
  readonly #sendCipher: SessionCipher
  readonly #receiveCipher: SessionCipher
  readonly #handler: RpcHandler
  readonly #clock: Clock
  readonly #log: RpcLog
  readonly #limits: RpcLimits
  readonly #encoder = new Encoder({ ignoreUndefined: true })
  readonly #msgDecoder: Decoder
  readonly #pending = new Map<number, Pending>()
  #nextId = 1
  #batch: Uint8Array[] = []
  #batchBytes = 0
  #flushScheduled = false
  #writable = true
  #sweep: TimerHandle | undefined
  #closed: string | undefined
  /** Peer requests handed to the handler and not yet answered. */
  #serving = 0
  #readingPaused = false
  readonly #closeListeners: ((reason: string) => void)[] = []
  /** Messages this side has sent and received, for stats. */
  readonly counters = { sent: 0, received: 0, frames_sent: 0, frames_received: 0 }

  constructor(options: RpcConnectionOptions) {
    this.peer = options.peer
    this.#stream = options.stream
    this.#decoder = options.decoder
    this.#sendCipher = options.send
    this.#receiveCipher = options.receive
    this.#handler = options.handler
    this.#clock = options.clock
    this.#log = options.log
    this.#limits = options.limits
    this.#decoder.setMaxFrameBytes(options.limits.maxFrameBytes)
    // msgpack allocates a declared array length up front: no length may exceed the frame's.
    const max = options.limits.maxFrameBytes
    this.#msgDecoder = new Decoder({
      maxStrLength: max,
      maxBinLength: max,
      maxArrayLength: max,
      maxMapLength: max,
      maxExtLength: max,
    })
    this.#stream.attach({
      data: (chunk) => this.#onData(chunk),
      drain: () => {
        this.#writable = true
        this.#flush()
        this.#maybeResume()
      },
      close: (reason) => this.#onClosed(`stream closed: ${reason}`),
    })
  }

  /** Whether the connection is still usable. */
  get isOpen(): boolean {
    return this.#closed === undefined
  }

  /** Number of requests awaiting a reply. */
  get pendingRequests(): number {
    return this.#pending.size
  }

  /** Sends a request and resolves with the peer's reply (or rejects with its error). */
  request(method: string, body: unknown, options: { timeoutMs?: number | undefined } = {}) {
    return new Promise<unknown>((resolve, reject) => {
      if (this.#closed !== undefined) {
        reject(new RpcConnectionClosedError(this.#closed))
        return
      }
      const id = this.#nextId++
      const timeoutMs = options.timeoutMs ?? this.#limits.requestTimeoutMs
      try {
        this.#enqueue([REQUEST, id, method, body])
      } catch (error) {
        reject(error)
        return
      }
      this.#pending.set(id, {
        resolve,
        reject,
        method,
        timeoutMs,
        deadline: this.#clock.now() + timeoutMs,
      })
      this.#armSweep()
    })
  }

  /** Sends a one-way message; throws if it cannot be queued. */
  notify(method: string, body: unknown, options: { control?: boolean | undefined } = {}): void {
    if (this.#closed !== undefined) throw new RpcConnectionClosedError(this.#closed)
    this.#enqueue([NOTIFY, method, body], options.control === true)
  }

  /** Calls `listener` once when the connection closes. */
  onClose(listener: (reason: string) => void): void {
    if (this.#closed !== undefined) listener(this.#closed)
    else this.#closeListeners.push(listener)
  }

  /** Closes the connection; pending requests fail with RpcConnectionClosedError. */
  close(reason = 'closed locally'): void {
    if (this.#closed !== undefined) return
    this.#onClosed(reason)
    this.#stream.close()
  }

  /**
   * Encodes and queues one message. `control` messages (heartbeats, leave
   * notices: small and periodic) skip the outbound bound, so a saturated data
   * path does not make a live peer look dead.
   */
  #enqueue(message: unknown[], control = false): void {
    let encoded: Uint8Array
    try {
      encoded = this.#encoder.encode(message)
    } catch (error) {
      throw new RpcFrameMalformedError(`message cannot be encoded: ${(error as Error).message}`, {
        kind: 'application',
      })
    }
    if (encoded.length > this.#limits.maxFrameBytes - FRAME_OVERHEAD) {
      throw new RpcFrameTooLargeError(encoded.length, this.#limits.maxFrameBytes - FRAME_OVERHEAD)
    }
    const queued = this.#batchBytes + this.#stream.bufferedBytes
    if (!control && queued + encoded.length > this.#limits.maxOutboundBytes) {
      throw new RpcQueueFullError(queued, this.#limits.maxOutboundBytes)
    }
    this.#batch.push(encoded)
    this.#batchBytes += encoded.length
    this.counters.sent++
    if (!this.#flushScheduled) {
      this.#flushScheduled = true
      queueMicrotask(() => {
        this.#flushScheduled = false
        this.#flush()
      })
    }
  }

  #flush(): void {
    const limit = this.#limits.maxFrameBytes - FRAME_OVERHEAD
    while (this.#writable && this.#batch.length > 0 && this.#closed === undefined) {
      let size = 0
      let count = 0
      for (const message of this.#batch) {
        if (count > 0 && size + message.length > limit) break
        size += message.length
        count++
      }
      const payload = new Uint8Array(size)
      let offset = 0
      for (let i = 0; i < count; i++) {
        const message = this.#batch[i] as Uint8Array
        payload.set(message, offset)
        offset += message.length
      }
      this.#batch = count === this.#batch.length ? [] : this.#batch.slice(count)
      this.#batchBytes -= size
      this.counters.frames_sent++
      this.#writable = this.#stream.write(encodeFrame(this.#sendCipher.seal(payload)))
    }
    // Replies that went out may be what reading was paused for (no drain follows a full write).
    this.#maybeResume()
  }

  #onData(chunk: Uint8Array): void {
    if (this.#closed !== undefined) return
    try {
      this.#onFrames(this.#decoder.push(chunk))
    } catch (error) {
      this.#refuse(error)
    }
  }

  /** @internal Frames already split by the handshake's decoder. */
  receiveFrames(frames: Uint8Array[]): void {
    try {
      this.#onFrames(frames)
    } catch (error) {
      this.#refuse(error)
    }
  }

  #onFrames(frames: Uint8Array[]): void {
    for (const frame of frames) {
      if (this.#closed !== undefined) return
      const plaintext = this.#receiveCipher.open(frame)
      this.counters.frames_received++
      for (const message of this.#msgDecoder.decodeMulti(plaintext)) this.#dispatch(message)
    }
    this.#maybePause()
  }

  /**
   * Inbound backpressure: with too many peer requests in service, or replies
   * piling up unsent, stop reading so the peer's socket backs up instead of
   * this host's memory. Frames already read are still served.
   */
  #maybePause(): void {
    if (this.#readingPaused || this.#closed !== undefined) return
    const queued = this.#batchBytes + this.#stream.bufferedBytes
    if (this.#serving >= this.#limits.maxServing || queued >= this.#limits.maxOutboundBytes / 2) {
      this.#readingPaused = true
      this.#stream.pause()
    }
  }

  /** Reads again once service and the reply queue are back under half their bounds. */
  #maybeResume(): void {
    if (!this.#readingPaused || this.#closed !== undefined) return
    const queued = this.#batchBytes + this.#stream.bufferedBytes
    if (
      this.#serving <= this.#limits.maxServing / 2 &&
      queued < this.#limits.maxOutboundBytes / 4
    ) {
      this.#readingPaused = false
      this.#stream.resume()
    }
  }

  #refuse(error: unknown): void {
    const wire = toWireError(error)
    const code = wire.code === 'INTERNAL' ? RpcFrameMalformedError.code : wire.code
    this.#log('rpc.connection_refused_frame', {
      peer: this.peer.hostId,
      remote: this.#stream.remoteAddress,
      code,
      reason: wire.shortMessage,
    })
    this.close(`${code}: ${wire.shortMessage}`)
  }

  #dispatch(message: unknown): void {
    if (!Array.isArray(message)) throw new RpcFrameMalformedError('message is not an array')
    this.counters.received++
    const kind = message[0]
    if (kind === REQUEST) {
      const [, id, method, body] = message
      if (typeof id !== 'number' || typeof method !== 'string') {
        throw new RpcFrameMalformedError('request needs a numeric id and a method name')
      }
      this.#serve(id, method, body)
    } else if (kind === REPLY_OK || kind === REPLY_ERROR) {
      const [, id, value] = message
      const pending = typeof id === 'number' ? this.#pending.get(id) : undefined
      // A reply for an unknown id is late (its request timed out); not an attack.
      if (!pending) return
      this.#pending.delete(id as number)
      if (kind === REPLY_OK) pending.resolve(value)
      else pending.reject(isWireError(value) ? BaseError.fromWire(value) : toWireError(value))
    } else if (kind === NOTIFY) {
      const [, method, body] = message
      if (typeof method !== 'string')
        throw new RpcFrameMalformedError('one-way message needs a method')
      try {
        this.#handler.notify?.(method, body, this.peer)
      } catch (error) {
        this.#log('rpc.notify_failed', {
          peer: this.peer.hostId,
          method,
          error: toWireError(error).shortMessage,
        })
      }
    } else {
      throw new RpcFrameMalformedError(`unknown message kind ${String(kind)}`)
    }
  }

  #serve(id: number, method: string, body: unknown): void {
    const reply = (kind: number, value: unknown) => {
      if (this.#closed !== undefined) return
      try {
        this.#enqueue([kind, id, value])
      } catch (error) {
        // The reply itself could not be sent (too large, not encodable, queue full): tell the caller why.
        try {
          this.#enqueue([REPLY_ERROR, id, toWireError(error)])
        } catch {
          this.close('cannot send replies: outbound queue full')
        }
      }
    }
    let result: unknown
    try {
      result = this.#handler.request(method, body, this.peer)
    } catch (error) {
      reply(REPLY_ERROR, toWireError(error))
      return
    }
    if (result instanceof Promise) {
      this.#serving++
      const done = () => {
        this.#serving--
        this.#maybeResume()
      }
      result.then(
        (value) => {
          done()
          reply(REPLY_OK, value)
        },
        (error) => {
          done()
          reply(REPLY_ERROR, toWireError(error))
        },
      )
    } else reply(REPLY_OK, result)
  }

  #armSweep(): void {
    if (this.#sweep !== undefined) return
    this.#sweep = this.#clock.setTimeout(() => {
      this.#sweep = undefined
      const now = this.#clock.now()
      for (const [id, pending] of this.#pending) {
        if (pending.deadline <= now) {
          this.#pending.delete(id)
          pending.reject(new RpcTimeoutError(pending.method, pending.timeoutMs))
        }
      }
      if (this.#pending.size > 0) this.#armSweep()
    }, SWEEP_MS)
  }

  #onClosed(reason: string): void {
    if (this.#closed !== undefined) return
    this.#closed = reason
    if (this.#sweep !== undefined) this.#clock.clearTimeout(this.#sweep)
    this.#sweep = undefined
    this.#batch = []
    this.#batchBytes = 0
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const request of pending) request.reject(new RpcConnectionClosedError(reason))
    for (const listener of this.#closeListeners.splice(0)) listener(reason)
  }
}
