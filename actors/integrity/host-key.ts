/**
 * The edge host's Ed25519 key that signs integrity batches (node:crypto). It
 * comes from a file named in the actor's arguments, never from code: the
 * host's own key file (PKCS#8 PEM, as `vigil host keygen` writes) or an
 * Ed25519 private JWK. Public keys travel as base64 of the raw 32 bytes, the
 * form the enrollment list and `identity.host_of_key` use.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { IntegrityKeyError } from './errors.ts'

/** Signs bytes with the host key. */
export type BatchSigner = {
  /** base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string
  sign(bytes: Uint8Array): string
}

// RFC 8410 SPKI DER prefix in front of a raw 32-byte Ed25519 key.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** A signer over an Ed25519 private key object. */
export function batchSignerFrom(privateKey: KeyObject): BatchSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new IntegrityKeyError('The host key must be an Ed25519 key')
  }
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return {
    publicKey: Buffer.from(spki.subarray(spki.length - 32)).toString('base64'),
    sign: (bytes) => Buffer.from(sign(null, bytes, privateKey)).toString('hex'),
  }
}

/** Reads the host key file at `path` (PKCS#8 PEM or private JWK). */
export async function loadBatchSigner(path: string): Promise<BatchSigner> {
  let text: string
  try {
    text = (await readFile(path, 'utf8')).trim()
  } catch (cause) {
    throw new IntegrityKeyError(`Cannot read the host key file ${path}`, { cause })
  }
  try {
    const key = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text), format: 'jwk' })
      : createPrivateKey(text)
    return batchSignerFrom(key)
  } catch (cause) {
    throw new IntegrityKeyError(
      `The host key file ${path} holds no Ed25519 private key (PKCS#8 PEM or JWK)`,
      { cause },
    )
  }
}

/** True when `signatureHex` is the Ed25519 signature of `bytes` by `publicKey` (base64 raw). */
export function verifyBatchSignature(
  publicKey: string,
  bytes: Uint8Array,
  signatureHex: string,
): boolean {
  const raw = Buffer.from(publicKey, 'base64')
  if (raw.length !== 32 || !/^[0-9a-f]{128}$/.test(signatureHex)) return false
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    })
    return verify(null, bytes, key, Buffer.from(signatureHex, 'hex'))
  } catch {
    return false
  }
}
