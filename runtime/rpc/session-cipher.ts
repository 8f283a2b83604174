/**
 * AES-256-GCM for one direction of a session. The 96-bit nonce is a 4-byte
 * per-direction prefix (from HKDF) followed by a 64-bit frame counter that
 * both sides advance in lockstep, so a replayed, dropped, reordered or
 * tampered frame fails authentication and the connection is closed.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { RpcUnauthenticatedError } from './errors.ts'

const TAG_BYTES = 16

export class SessionCipher {
  readonly #key: Uint8Array
  readonly #nonce: Buffer
  #counter = 0

  constructor(key: Uint8Array, noncePrefix: Uint8Array) {
    if (key.length !== 32 || noncePrefix.length !== 4) throw new RangeError('bad session key sizes')
    this.#key = key
    this.#nonce = Buffer.alloc(12)
    this.#nonce.set(noncePrefix, 0)
  }

  #nextNonce(): Buffer {
    const counter = this.#counter++
    // 2^53 frames per session is far beyond any connection's life; the high
    // word still keeps the nonce unique if it ever gets there.
    this.#nonce.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 4)
    this.#nonce.writeUInt32BE(counter >>> 0, 8)
    return this.#nonce
  }

  /** Encrypts and authenticates one frame: ciphertext followed by the 16-byte tag. */
  seal(plaintext: Uint8Array): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', this.#key, this.#nextNonce())
    const body = cipher.update(plaintext)
    const final = cipher.final()
    const tag = cipher.getAuthTag()
    const out = new Uint8Array(body.length + final.length + TAG_BYTES)
    out.set(body, 0)
    out.set(final, body.length)
    out.set(tag, body.length + final.length)
    return out
  }

  /** Decrypts one frame; throws {@link RpcUnauthenticatedError} if it fails authentication. */
  open(sealed: Uint8Array): Uint8Array {
    if (sealed.length < TAG_BYTES) throw new RpcUnauthenticatedError('frame shorter than its tag')
    const decipher = createDecipheriv('aes-256-gcm', this.#key, this.#nextNonce())
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    try {
      const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES))
      const final = decipher.final()
      return final.length === 0 ? body : Buffer.concat([body, final])
    } catch {
      throw new RpcUnauthenticatedError(
        'frame failed authentication (tampered, replayed or reordered)',
      )
    }
  }
}
