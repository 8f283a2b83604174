/**
 * Ed25519 host and administrator keys. Private keys live in PKCS#8 PEM files
 * (mode 0600) and never appear in logs or errors; public keys travel as the
 * base64 of their 32 raw bytes.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { chmod } from 'node:fs/promises'
import { BaseError } from '../errors/base-error.ts'

/** A loaded signing key and its public half. */
export type HostKey = {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  /** Base64 of the raw 32-byte public key. */
  readonly publicKeyBase64: string
}

/** A key file is missing or does not hold an Ed25519 private key. */
export class KeyFileInvalidError extends BaseError {
  static override readonly code = 'KEY_FILE_INVALID'
  override name = 'KeyFileInvalidError'
  constructor(path: string, reason: string) {
    super(
      KeyFileInvalidError.code,
      `Key file ${path} is not usable: ${reason}; create one with 'vigil host keygen --out ${path}'`,
      { kind: 'application', meta: { path } },
    )
  }
}

/** Generates a fresh Ed25519 key pair. */
export function generateHostKey(): HostKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { privateKey, publicKey, publicKeyBase64: publicKeyToBase64(publicKey) }
}

/** Raw 32-byte public key, base64. */
export function publicKeyToBase64(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as { x?: string }
  if (!jwk.x) throw new Error('not an OKP public key')
  return Buffer.from(jwk.x, 'base64url').toString('base64')
}

/** Imports a base64 raw Ed25519 public key; throws on a malformed key. */
export function publicKeyFromBase64(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64')
  if (raw.length !== 32) throw new Error(`public key must be 32 bytes, got ${raw.length}`)
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  })
}

/** Writes a private key as PKCS#8 PEM with owner-only permissions. */
export async function writeHostKey(path: string, key: HostKey): Promise<void> {
  await Bun.write(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())
  await chmod(path, 0o600)
}

/** Reads a PKCS#8 PEM Ed25519 private key file. */
export async function readHostKey(path: string): Promise<HostKey> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new KeyFileInvalidError(path, 'file not found')
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(await file.text())
  } catch {
    throw new KeyFileInvalidError(path, 'not a PEM private key')
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyFileInvalidError(path, `key type is ${privateKey.asymmetricKeyType}, need ed25519`)
  }
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, publicKeyBase64: publicKeyToBase64(publicKey) }
}

/** Ed25519 signature of `data`. */
export function signBytes(key: HostKey, data: Uint8Array): Uint8Array {
  return sign(null, data, key.privateKey)
}

/** True when `signature` is a valid Ed25519 signature of `data` by `publicKey`. */
export function verifyBytes(
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(null, data, publicKey, signature)
  } catch {
    return false
  }
}
