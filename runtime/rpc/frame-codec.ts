/**
 * Length-prefixed framing for byte streams: each frame is a 4-byte
 * big-endian length followed by that many bytes. The decoder enforces a
 * bound on the declared length before buffering anything, so a peer cannot
 * make a host allocate more than `maxFrameBytes` per connection.
 */
import { RpcFrameMalformedError, RpcFrameTooLargeError } from './errors.ts'

/** Bytes of the length prefix. */
export const FRAME_HEADER_BYTES = 4

/** Prefixes `payload` with its length. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length)
  new DataView(frame.buffer).setUint32(0, payload.length)
  frame.set(payload, FRAME_HEADER_BYTES)
  return frame
}

/**
 * Incremental frame decoder: `push(chunk)` returns every complete frame the
 * chunk finishes. Throws {@link RpcFrameTooLargeError} or
 * {@link RpcFrameMalformedError}; after a throw the decoder is unusable and
 * the connection must be closed.
 */
export class FrameDecoder {
  #limit: number
  // Chunks are kept as received and copied once per frame, so a peer that
  // trickles bytes cannot make the decoder re-copy its buffer per chunk.
  #chunks: Uint8Array[] = []
  #total = 0
  #need = -1
  #failed = false

  constructor(maxFrameBytes: number) {
    this.#limit = maxFrameBytes
  }

  /** Changes the bound, e.g. from the small handshake limit to the session limit. */
  setMaxFrameBytes(value: number): void {
    this.#limit = value
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.#total
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw new RpcFrameMalformedError('decoder already failed on this connection')
    if (chunk.length > 0) {
      this.#chunks.push(chunk)
      this.#total += chunk.length
    }
    const frames: Uint8Array[] = []
    for (;;) {
      if (this.#need < 0) {
        if (this.#total < FRAME_HEADER_BYTES) break
        const header = this.#take(FRAME_HEADER_BYTES)
        const declared =
          (header[0] as number) * 0x1000000 +
          (((header[1] as number) << 16) | ((header[2] as number) << 8) | (header[3] as number))
        if (declared > this.#limit) {
          this.#fail()
          throw new RpcFrameTooLargeError(declared, this.#limit)
        }
        if (declared === 0) {
          this.#fail()
          throw new RpcFrameMalformedError('empty frame')
        }
        this.#need = declared
      }
      if (this.#total < this.#need) break
      frames.push(this.#take(this.#need))
      this.#need = -1
    }
    return frames
  }

  #fail(): void {
    this.#failed = true
    this.#chunks = []
    this.#total = 0
  }

  /** Removes and returns the first `n` buffered bytes (n ≤ total). */
  #take(n: number): Uint8Array {
    this.#total -= n
    const out = new Uint8Array(n)
    let offset = 0
    let index = 0
    while (offset < n) {
      const head = this.#chunks[index] as Uint8Array
      const count = Math.min(head.length, n - offset)
      out.set(head.subarray(0, count), offset)
      offset += count
      if (count === head.length) index++
      else this.#chunks[index] = head.subarray(count)
    }
    // One splice per frame, not one shift per chunk.
    if (index > 0) this.#chunks.splice(0, index)
    return out
  }
}
