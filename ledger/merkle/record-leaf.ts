/**
 * The canonical bytes of a ledger record and its RFC 6962 leaf hash. The same
 * layout is used inside ledger transactions and by the ABCI app, so a leaf
 * hash computed by a client, by every validator and by an offline verifier
 * always agrees. Layout (big-endian):
 *
 *   "vigil.record.v1" ‖ u8 kind ‖ u16 keyLength ‖ key (UTF-8) ‖ u32 dataLength ‖ data
 *
 * The domain tag keeps a record leaf from ever matching another structure's leaf.
 */

import { fromHex } from '../encoding/hex.ts'
import { type LedgerRecord, RECORD_KINDS, type RecordKind } from '../protocol.ts'
import { hashLeaf } from './rfc6962-hash.ts'

/** Domain tag prepended to every record leaf. */
export const RECORD_DOMAIN_TAG: Uint8Array = new TextEncoder().encode('vigil.record.v1')

/** Wire codes of the record kinds of RECORD_KINDS (never renumber: they are hashed into leaves). */
export const RECORD_KIND_CODES: Readonly<Record<RecordKind, number>> = {
  enf_fingerprint: 1,
  feature_hash: 2,
  host_enrollment: 3,
  batch_root: 4,
}

const KINDS_BY_CODE = new Map(
  Object.entries(RECORD_KIND_CODES).map(([kind, code]) => [code, kind as RecordKind]),
)

/** Longest record key in UTF-8 bytes. */
export const MAX_RECORD_KEY_BYTES = 256

const encoder = new TextEncoder()

/** Why a record is not well-formed, or null when it is. */
export function recordProblem(record: LedgerRecord): string | null {
  if (!(record.kind in RECORD_KIND_CODES)) {
    return `kind must be one of ${RECORD_KINDS.join(', ')}`
  }
  if (typeof record.key !== 'string' || record.key.length === 0)
    return 'key must be a non-empty string'
  if (Buffer.byteLength(record.key, 'utf8') > MAX_RECORD_KEY_BYTES) {
    return `key must be at most ${MAX_RECORD_KEY_BYTES} UTF-8 bytes`
  }
  if (typeof record.dataHex !== 'string' || !LOWERCASE_HEX.test(record.dataHex)) {
    return 'dataHex must be lowercase even-length hex without 0x'
  }
  return null
}

/** Even-length lowercase hex (JSC's regex JIT beats a charCodeAt loop here by ~3×). */
const LOWERCASE_HEX = /^(?:[0-9a-f]{2})*$/

/** Canonical record bytes without the domain tag (the layout inside transactions). */
export function encodeRecordBody(record: LedgerRecord): Uint8Array {
  const problem = recordProblem(record)
  if (problem) throw new RangeError(`invalid record: ${problem}`)
  const key = encoder.encode(record.key)
  const data = fromHex(record.dataHex)
  const out = new Uint8Array(1 + 2 + key.length + 4 + data.length)
  const view = new DataView(out.buffer)
  out[0] = RECORD_KIND_CODES[record.kind]
  view.setUint16(1, key.length)
  out.set(key, 3)
  view.setUint32(3 + key.length, data.length)
  out.set(data, 7 + key.length)
  return out
}

/** The record kind for a wire code, or undefined. */
export function recordKindOf(code: number): RecordKind | undefined {
  return KINDS_BY_CODE.get(code)
}

/** Reused input of {@link recordLeafHash} (single-threaded: no call can interleave). */
const leafScratch = Buffer.alloc(8192)
leafScratch[0] = 0x00
leafScratch.set(RECORD_DOMAIN_TAG, 1)
const BODY_AT = 1 + RECORD_DOMAIN_TAG.length

/** The leaf hash of a record: SHA-256(0x00 ‖ "vigil.record.v1" ‖ body). */
export function recordLeafHash(record: LedgerRecord): Uint8Array {
  const problem = recordProblem(record)
  if (problem) throw new RangeError(`invalid record: ${problem}`)
  const keyBytes = Buffer.byteLength(record.key, 'utf8')
  const dataBytes = record.dataHex.length / 2
  if (BODY_AT + 7 + keyBytes + dataBytes <= leafScratch.length) {
    // The same bytes as encodeRecordBody, written straight into one buffer (audits hash a leaf per
    // row; the three allocations and copies below cost more than the hash).
    let at = BODY_AT
    leafScratch[at] = RECORD_KIND_CODES[record.kind]
    leafScratch.writeUInt16BE(keyBytes, at + 1)
    at += 3 + leafScratch.write(record.key, at + 3, 'utf8')
    leafScratch.writeUInt32BE(dataBytes, at)
    at += 4 + leafScratch.write(record.dataHex, at + 4, 'hex')
    return Bun.SHA256.hash(leafScratch.subarray(0, at)) as Uint8Array
  }
  const body = encodeRecordBody(record)
  const tagged = new Uint8Array(RECORD_DOMAIN_TAG.length + body.length)
  tagged.set(RECORD_DOMAIN_TAG)
  tagged.set(body, RECORD_DOMAIN_TAG.length)
  return hashLeaf(tagged)
}

/** The leaf hash of every encoded record body, SHA-256(0x00 ‖ tag ‖ body), hashed from one scratch buffer. */
export function leafHashesOfBodies(bodies: readonly Uint8Array[]): Uint8Array[] {
  let largest = 0
  for (const body of bodies) if (body.length > largest) largest = body.length
  const from = 1 + RECORD_DOMAIN_TAG.length
  const scratch = new Uint8Array(from + largest)
  scratch.set(RECORD_DOMAIN_TAG, 1)
  const hashes: Uint8Array[] = new Array(bodies.length)
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i] as Uint8Array
    scratch.set(body, from)
    hashes[i] = Bun.SHA256.hash(scratch.subarray(0, from + body.length)) as Uint8Array
  }
  return hashes
}
