/**
 * The edge host's Ed25519 key that signs integrity batches: a view of
 * runtime's host key (runtime/rpc/host-key.ts loads every Ed25519 key file).
 * It comes from a file named in the actor's arguments, never from code: the
 * host's own key file (PKCS#8 PEM, as `vigil host keygen` writes), an
 * Ed25519 private JWK or a hex seed; a key runtime refuses is INTEGRITY_KEY.
 * Public keys travel as base64 of the raw 32 bytes, the form the enrollment
 * list and `identity.host_of_key` use.
 */
import type { KeyObject } from 'node:crypto'
import {
  type HostKey,
  hostKeyFromPrivate,
  KeyFileInvalidError,
  publicKeyFromBase64,
  publicKeyToBase64,
  readHostKey,
  signBytes,
  verifyBytes,
} from '../../runtime/index.ts'
import { IntegrityKeyError } from './errors.ts'

/** Signs bytes with the host key. */
export type BatchSigner = {
  /** base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string
  sign(bytes: Uint8Array): string
}

/** A signer over an Ed25519 private key object. */
export function batchSignerFrom(privateKey: KeyObject): BatchSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new IntegrityKeyError('The host key must be an Ed25519 key')
  }
  return signerOf(hostKeyFromPrivate(privateKey))
}

function signerOf(key: HostKey): BatchSigner {
  return {
    publicKey: publicKeyToBase64(key.publicKey),
    sign: (bytes) => Buffer.from(signBytes(key, bytes)).toString('hex'),
  }
}

/** Reads the host key file at `path` (PKCS#8 PEM, private JWK or hex seed). */
export async function loadBatchSigner(path: string): Promise<BatchSigner> {
  try {
    return signerOf(await readHostKey(path))
  } catch (error) {
    if (!(error instanceof KeyFileInvalidError)) throw error
    throw new IntegrityKeyError(error.shortMessage, { cause: error })
  }
}

/** True when `signatureHex` is the Ed25519 signature of `bytes` by `publicKey` (base64 raw). */
export function verifyBatchSignature(
  publicKey: string,
  bytes: Uint8Array,
  signatureHex: string,
): boolean {
  if (!/^[0-9a-f]{128}$/.test(signatureHex)) return false
  try {
    return verifyBytes(publicKeyFromBase64(publicKey), bytes, Buffer.from(signatureHex, 'hex'))
  } catch {
    return false
  }
}
