/**
 * The binary format of vigil ledger transactions, shared by clients and the
 * ABCI app. Every transaction is signed by an enrolled Ed25519 key over the
 * chain id, the signer, a nonce and the payload (tx-payload.ts), so a
 * transaction cannot be replayed on another chain or altered in flight.
 * Layout (big-endian):
 *
 *   envelope = "VGT1" ‖ pubkey(32) ‖ u64 nonce ‖ u32 payloadLength ‖ payload ‖ signature(64)?
 *   signed   = "vigil.tx.v1" ‖ u16 chainIdLength ‖ chainId ‖ pubkey ‖ u64 nonce ‖ payload
 */
import { fromHex, toHex } from '../encoding/hex.ts'
import { sha256 } from '../merkle/rfc6962-hash.ts'
import { type SignerKey, signBytes, verifyBytes } from './signer-key.ts'
import {
  DEFAULT_MAX_PLAIN_BYTES,
  decodePayload,
  type LedgerTxPayload,
  MalformedTxError,
} from './tx-payload.ts'

const MAGIC = new TextEncoder().encode('VGT1')
const SIGNING_TAG = new TextEncoder().encode('vigil.tx.v1')
const HEADER_BYTES = MAGIC.length + 32 + 8 + 4
const SIGNATURE_BYTES = 64

/** A parsed transaction envelope. */
export type LedgerTx = {
  readonly signer: Uint8Array
  readonly nonce: bigint
  readonly payload: LedgerTxPayload
  readonly payloadBytes: Uint8Array
  /** Null when the envelope carries no signature. */
  readonly signature: Uint8Array | null
}

/** The bytes a signer signs. */
export function signingBytes(
  chainId: string,
  signer: Uint8Array,
  nonce: bigint,
  payload: Uint8Array,
): Uint8Array {
  const chain = new TextEncoder().encode(chainId)
  const out = new Uint8Array(SIGNING_TAG.length + 2 + chain.length + 32 + 8 + payload.length)
  const view = new DataView(out.buffer)
  let offset = 0
  out.set(SIGNING_TAG, offset)
  offset += SIGNING_TAG.length
  view.setUint16(offset, chain.length)
  out.set(chain, offset + 2)
  offset += 2 + chain.length
  out.set(signer, offset)
  view.setBigUint64(offset + 32, nonce)
  out.set(payload, offset + 40)
  return out
}

/** Builds a signed transaction (or an unsigned one when `key` only supplies a public key). */
export function encodeLedgerTx(options: {
  chainId: string
  key: SignerKey
  nonce: bigint
  payload: Uint8Array
  /** Leave the signature off (tests of the unsigned rejection). */
  unsigned?: boolean | undefined
}): Uint8Array {
  const { key, nonce, payload } = options
  const signature = options.unsigned
    ? new Uint8Array(0)
    : signBytes(key, signingBytes(options.chainId, key.publicKey, nonce, payload))
  const out = new Uint8Array(HEADER_BYTES + payload.length + signature.length)
  const view = new DataView(out.buffer)
  out.set(MAGIC)
  out.set(key.publicKey, 4)
  view.setBigUint64(36, nonce)
  view.setUint32(44, payload.length)
  out.set(payload, HEADER_BYTES)
  out.set(signature, HEADER_BYTES + payload.length)
  return out
}

/** Limits applied while decoding. */
export type DecodeLimits = {
  /** Largest uncompressed record batch a zstd batch may declare, bytes (default 64 MiB). */
  readonly maxPlainBytes?: number | undefined
}

/** Parses an envelope and its payload; throws {@link MalformedTxError} with the reason. */
export function decodeLedgerTx(tx: Uint8Array, limits: DecodeLimits = {}): LedgerTx {
  if (tx.length < HEADER_BYTES) throw new MalformedTxError('shorter than the envelope header')
  for (let i = 0; i < MAGIC.length; i++) {
    if (tx[i] !== MAGIC[i]) throw new MalformedTxError('missing the VGT1 magic')
  }
  const view = new DataView(tx.buffer, tx.byteOffset, tx.byteLength)
  const signer = tx.slice(4, 36)
  const nonce = view.getBigUint64(36)
  const payloadLength = view.getUint32(44)
  const payloadEnd = HEADER_BYTES + payloadLength
  if (payloadEnd > tx.length) throw new MalformedTxError('payload length exceeds the transaction')
  const rest = tx.length - payloadEnd
  if (rest !== 0 && rest !== SIGNATURE_BYTES) {
    throw new MalformedTxError('trailing bytes are neither empty nor a 64-byte signature')
  }
  const payloadBytes = tx.subarray(HEADER_BYTES, payloadEnd)
  return {
    signer,
    nonce,
    payload: decodePayload(payloadBytes, limits.maxPlainBytes ?? DEFAULT_MAX_PLAIN_BYTES),
    payloadBytes,
    signature: rest === 0 ? null : tx.slice(payloadEnd),
  }
}

/** True when the envelope's signature is the signer's over the chain id, nonce and payload. */
export function verifyLedgerTxSignature(tx: LedgerTx, chainId: string): boolean {
  if (!tx.signature) return false
  return verifyBytes(
    tx.signer,
    signingBytes(chainId, tx.signer, tx.nonce, tx.payloadBytes),
    tx.signature,
  )
}

/** CometBFT's transaction hash: SHA-256 of the bytes, uppercase hex. */
export function txHashOf(tx: Uint8Array): string {
  return toHex(sha256(tx)).toUpperCase()
}

/** Parses a CometBFT tx hash (hex, any case). */
export function txHashBytes(hash: string): Uint8Array {
  return fromHex(hash.toLowerCase())
}
