/**
 * ABCI socket framing for CometBFT ≥ 0.37: each protobuf message is prefixed
 * by its length as an **unsigned** varint (LEB128), as written by Go's
 * `binary.PutUvarint` (libs/protoio). The 0.34-era JS libraries wrote a signed
 * (zigzag) varint; that framing is wrong here. Lengths are handled with plain
 * arithmetic (no 32-bit bit operations), so frames above 2^31 bytes decode.
 */

/** Largest frame we accept (CometBFT's own cap is MaxInt32; blocks are ≤ 100 MB). */
export const MAX_FRAME_BYTES = 2 ** 31 - 1

/** Encodes a non-negative safe integer as an unsigned LEB128 varint. */
export function encodeUvarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`uvarint must be a non-negative safe integer, got ${value}`)
  }
  const out: number[] = []
  let n = value
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/**
 * Decodes a uvarint at `offset`: `{value, length}`, or null when the buffer
 * ends before the varint does. Throws on varints longer than 8 bytes
 * (beyond 2^53, never a valid frame length).
 */
export function decodeUvarint(
  buffer: Uint8Array,
  offset = 0,
): { value: number; length: number } | null {
  let value = 0
  let scale = 1
  for (let i = 0; i < 8; i++) {
    const index = offset + i
    if (index >= buffer.length) return null
    const byte = buffer[index] as number
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return { value, length: i + 1 }
    scale *= 0x80
  }
  throw new RangeError('uvarint longer than 8 bytes')
}

/** Prefixes `message` with its uvarint length. */
export function encodeFrame(message: Uint8Array): Uint8Array {
  const prefix = encodeUvarint(message.length)
  const out = new Uint8Array(prefix.length + message.length)
  out.set(prefix)
  out.set(message, prefix.length)
  return out
}

/**
 * Reassembles frames from a byte stream: `push` a chunk as it arrives and get
 * every complete message it finishes (none, one or many), in order.
 */
export class FrameDecoder {
  #buffer: Uint8Array = new Uint8Array(0)
  readonly #maxFrameBytes: number

  constructor(maxFrameBytes = MAX_FRAME_BYTES) {
    this.#maxFrameBytes = maxFrameBytes
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.#buffer.length
  }

  /** Adds a chunk; returns the complete messages (without their prefixes). */
  push(chunk: Uint8Array): Uint8Array[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : concat(this.#buffer, chunk)
    const messages: Uint8Array[] = []
    let offset = 0
    for (;;) {
      const header = decodeUvarint(this.#buffer, offset)
      if (header === null) break
      if (header.value > this.#maxFrameBytes) {
        throw new RangeError(`frame of ${header.value} bytes exceeds ${this.#maxFrameBytes}`)
      }
      const start = offset + header.length
      const end = start + header.value
      if (end > this.#buffer.length) break
      // Copy: the chunk's buffer may be reused by the socket after this call.
      messages.push(this.#buffer.slice(start, end))
      offset = end
    }
    this.#buffer = offset === 0 ? this.#buffer.slice() : this.#buffer.slice(offset)
    return messages
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
