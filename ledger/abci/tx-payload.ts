/**
 * The payloads of vigil ledger transactions (see ledger-tx.ts for the signed
 * envelope around them). Layout (big-endian):
 *
 *   payload  = u8 type ‖ body
 *     type 1, record batch:  root(32) ‖ u32 count ‖ count × (u32 length ‖ record body)
 *     type 2, enrollment:    pubkey(32) ‖ u8 role ‖ u16 nameLength ‖ name
 *     type 3, zstd batch:    u32 plainLength ‖ zstd frame of a type 1 payload (plainLength bytes)
 *
 * Type 3 exists for throughput: every validator moves every transaction byte
 * several times (mempool gossip, block parts, WAL, block store), and record
 * keys compress well, so a zstd batch halves what the network carries. The
 * signature covers the compressed bytes; leaves and the root cover the records,
 * so receipts are the same for both forms. Decompression is bounded by the
 * declared length, which the reader caps (a zstd bomb is refused, not inflated).
 *
 * A record body is the canonical record encoding of ledger/merkle/record-leaf.ts;
 * `root` is the RFC 6962 root over the records' leaf hashes.
 */
import { zstdDecompressSync } from 'node:zlib'
import { toHex } from '../encoding/hex.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import {
  leafHashesOfBodies,
  RECORD_KIND_CODES,
  recordKindOf,
  recordProblem,
} from '../merkle/record-leaf.ts'
import type { LedgerRecord } from '../protocol.ts'

/** Roles of enrolled keys: nodes write records, admins also enroll keys. */
export type SignerRole = 'node' | 'admin'
const ROLE_CODES: Record<SignerRole, number> = { node: 1, admin: 2 }

/** A batch of records under one Merkle root. */
export type RecordBatchPayload = {
  readonly type: 'records'
  readonly root: Uint8Array
  /** Record keys, in leaf order. */
  readonly keys: readonly string[]
  /** Canonical record bodies, in leaf order (what the leaves hash; views into `plain`). */
  readonly bodies: readonly Uint8Array[]
  /** The batch as an uncompressed type 1 payload (decompressed for a zstd batch). */
  readonly plain: Uint8Array
  /** True when the transaction carried it zstd-compressed (type 3). */
  readonly compressed: boolean
}

/** Enrolls a host key (admins only). */
export type EnrollmentPayload = {
  readonly type: 'enroll'
  readonly publicKey: Uint8Array
  readonly role: SignerRole
  readonly name: string
}

export type LedgerTxPayload = RecordBatchPayload | EnrollmentPayload

/** Thrown while decoding bytes that are not a well-formed transaction or payload. */
export class MalformedTxError extends Error {
  override name = 'MalformedTxError'
}

/** Payload type codes. */
const PAYLOAD_RECORDS = 1
const PAYLOAD_ENROLL = 2
const PAYLOAD_ZSTD_RECORDS = 3

/**
 * Encodes a record batch payload; `root` is computed from the records (`tree`
 * is its Merkle tree, for receipts). With `compress`, the payload is a zstd
 * batch (type 3) when that is smaller than the plain one.
 */
export function encodeRecordBatch(
  records: readonly LedgerRecord[],
  options: {
    compress?: boolean | undefined
    /** The caller already checked every record with recordProblem (the ledger client's hot path). */
    validated?: boolean | undefined
  } = {},
): {
  payload: Uint8Array
  root: Uint8Array
  leafHashes: Uint8Array[]
  tree: MerkleTree
} {
  const plain = encodePlainRecordBatch(records, options.validated ?? false)
  if (!options.compress) return plain
  const packed = Bun.zstdCompressSync(plain.payload, { level: 1 })
  if (packed.length + 5 >= plain.payload.length) return plain
  const payload = new Uint8Array(5 + packed.length)
  payload[0] = PAYLOAD_ZSTD_RECORDS
  new DataView(payload.buffer).setUint32(1, plain.payload.length)
  payload.set(packed, 5)
  return { ...plain, payload }
}

function encodePlainRecordBatch(
  records: readonly LedgerRecord[],
  validated: boolean,
): {
  payload: Uint8Array
  root: Uint8Array
  leafHashes: Uint8Array[]
  tree: MerkleTree
} {
  // One pass to validate and size, one to write every body in place, then the leaves from one
  // scratch buffer: no per-record hex or key allocations (the client's per-record hot path).
  const keyBytes: number[] = new Array(records.length)
  let size = 1 + 32 + 4
  for (const [i, record] of records.entries()) {
    const problem = validated ? null : recordProblem(record)
    if (problem) throw new RangeError(`invalid record: ${problem}`)
    const keyLength = Buffer.byteLength(record.key, 'utf8')
    keyBytes[i] = keyLength
    size += 4 + 7 + keyLength + record.dataHex.length / 2
  }
  const out = new Uint8Array(size)
  const buffer = Buffer.from(out.buffer, out.byteOffset, out.byteLength)
  const bodies: Uint8Array[] = new Array(records.length)
  out[0] = PAYLOAD_RECORDS
  buffer.writeUInt32BE(records.length, 33)
  let offset = 37
  for (const [i, record] of records.entries()) {
    const keyLength = keyBytes[i] as number
    const dataLength = record.dataHex.length / 2
    const body = offset + 4
    buffer.writeUInt32BE(7 + keyLength + dataLength, offset)
    out[body] = RECORD_KIND_CODES[record.kind]
    buffer.writeUInt16BE(keyLength, body + 1)
    buffer.write(record.key, body + 3, keyLength, 'utf8')
    buffer.writeUInt32BE(dataLength, body + 3 + keyLength)
    buffer.write(record.dataHex, body + 7 + keyLength, dataLength, 'hex')
    const end = body + 7 + keyLength + dataLength
    bodies[i] = out.subarray(body, end)
    offset = end
  }
  const leafHashes = leafHashesOfBodies(bodies)
  const tree = new MerkleTree(leafHashes)
  const root = tree.root
  out.set(root, 1)
  return { payload: out, root, leafHashes, tree }
}

/** Encodes an enrollment payload. */
export function encodeEnrollment(
  publicKey: Uint8Array,
  role: SignerRole,
  name: string,
): Uint8Array {
  const nameBytes = new TextEncoder().encode(name)
  if (publicKey.length !== 32) throw new RangeError('public key must be 32 bytes')
  if (nameBytes.length > 256) throw new RangeError('name must be at most 256 bytes')
  const out = new Uint8Array(1 + 32 + 1 + 2 + nameBytes.length)
  out[0] = PAYLOAD_ENROLL
  out.set(publicKey, 1)
  out[33] = ROLE_CODES[role]
  new DataView(out.buffer).setUint16(34, nameBytes.length)
  out.set(nameBytes, 36)
  return out
}

/** Largest uncompressed record batch a zstd batch may declare by default, bytes. */
export const DEFAULT_MAX_PLAIN_BYTES = 64 * 1024 * 1024

/**
 * Decodes a record batch payload as carried in a transaction (plain or zstd),
 * e.g. as the ABCI app stores it; throws {@link MalformedTxError}.
 */
export function decodeRecordPayload(
  bytes: Uint8Array,
  maxPlainBytes = DEFAULT_MAX_PLAIN_BYTES,
): RecordBatchPayload {
  const payload = decodePayload(bytes, maxPlainBytes)
  if (payload.type !== 'records') throw new MalformedTxError('not a record batch payload')
  return payload
}

/** Decodes any payload; throws {@link MalformedTxError} with the reason. */
export function decodePayload(bytes: Uint8Array, maxPlainBytes: number): LedgerTxPayload {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = bytes[0]
  if (type === PAYLOAD_RECORDS) return decodeRecordBatch(bytes, false)
  if (type === PAYLOAD_ZSTD_RECORDS) {
    if (bytes.length < 6) throw new MalformedTxError('zstd batch shorter than its header')
    const plainLength = view.getUint32(1)
    if (plainLength > maxPlainBytes) {
      throw new MalformedTxError(
        `zstd batch declares ${plainLength} uncompressed bytes; at most ${maxPlainBytes} are allowed`,
      )
    }
    let plain: Uint8Array
    try {
      // The cap makes a decompression bomb fail fast instead of filling memory.
      // One output chunk of the declared size: no chunk list to join.
      plain = zstdDecompressSync(bytes.subarray(5), {
        maxOutputLength: Math.max(1, plainLength),
        chunkSize: Math.max(64, plainLength),
      })
    } catch {
      throw new MalformedTxError(
        `zstd batch does not decompress to its declared ${plainLength} bytes`,
      )
    }
    if (plain.length !== plainLength) {
      throw new MalformedTxError(
        `zstd batch decompresses to ${plain.length} bytes, not the declared ${plainLength}`,
      )
    }
    if (plain[0] !== PAYLOAD_RECORDS)
      throw new MalformedTxError('zstd batch does not hold a plain record batch')
    return decodeRecordBatch(plain, true)
  }
  if (type === PAYLOAD_ENROLL) {
    if (bytes.length < 36) throw new MalformedTxError('enrollment shorter than its header')
    const role = bytes[33] === 1 ? 'node' : bytes[33] === 2 ? 'admin' : null
    if (role === null) throw new MalformedTxError('enrollment role must be 1 (node) or 2 (admin)')
    const nameLength = view.getUint16(34)
    if (36 + nameLength !== bytes.length)
      throw new MalformedTxError('enrollment name length is wrong')
    const name = decodeUtf8(bytes.subarray(36), 'enrollment name')
    return { type: 'enroll', publicKey: bytes.slice(1, 33), role, name }
  }
  throw new MalformedTxError(`unknown payload type ${String(type)}`)
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    throw new MalformedTxError(`${what} is not valid UTF-8`)
  }
}

/**
 * Parses a plain (type 1) record batch: checks every record's framing, kind,
 * key and lengths, and returns keys and body views without copying or
 * building per-record objects (the ABCI app's per-record hot path).
 */
function decodeRecordBatch(bytes: Uint8Array, compressed: boolean): RecordBatchPayload {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 37) throw new MalformedTxError('record batch shorter than its header')
  const root = bytes.slice(1, 33)
  const count = view.getUint32(33)
  if (count === 0) throw new MalformedTxError('record batch is empty')
  if (count > (bytes.length - 37) / 11) {
    throw new MalformedTxError(`record batch declares ${count} records; its bytes cannot hold them`)
  }
  const keys: string[] = new Array(count)
  const bodies: Uint8Array[] = new Array(count)
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 37
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.length) throw new MalformedTxError(`record ${i} is truncated`)
    const length = view.getUint32(offset)
    const start = offset + 4
    const end = start + length
    if (end > bytes.length) throw new MalformedTxError(`record ${i} is truncated`)
    if (length < 7) throw new MalformedTxError(`record ${i} is shorter than its header`)
    if (!recordKindOf(bytes[start] as number)) {
      throw new MalformedTxError(`record ${i} has an unknown kind ${String(bytes[start])}`)
    }
    const keyLength = view.getUint16(start + 1)
    if (keyLength === 0 || keyLength > 256 || 7 + keyLength > length) {
      throw new MalformedTxError(`record ${i} has a bad key length`)
    }
    if (7 + keyLength + view.getUint32(start + 3 + keyLength) !== length) {
      throw new MalformedTxError(`record ${i} has a bad data length`)
    }
    keys[i] = decodeKey(text, bytes, start + 3, start + 3 + keyLength, i)
    bodies[i] = bytes.subarray(start, end)
    offset = end
  }
  if (offset !== bytes.length) throw new MalformedTxError('bytes after the last record')
  return { type: 'records', root, keys, bodies, plain: bytes, compressed }
}

/** A record key: ASCII keys (the common case) without a TextDecoder call, others strictly. */
function decodeKey(text: Buffer, bytes: Uint8Array, start: number, end: number, index: number) {
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) > 0x7f) {
      return decodeUtf8(bytes.subarray(start, end), `record ${index} key`)
    }
  }
  return text.toString('latin1', start, end)
}

/** The record a canonical body (as found in a batch) encodes. */
export function recordOfBody(body: Uint8Array): LedgerRecord {
  const keyLength = ((body[1] as number) << 8) | (body[2] as number)
  const kind = recordKindOf(body[0] as number)
  if (!kind) throw new MalformedTxError(`record has an unknown kind ${String(body[0])}`)
  return {
    kind,
    key: decodeUtf8(body.subarray(3, 3 + keyLength), 'record key'),
    dataHex: toHex(body.subarray(7 + keyLength)),
  }
}
