/**
 * Ed25519 keys: hosts, administrators, ledger signers and fingerprint
 * signers all load theirs here. Key files are written as PKCS#8 PEM (mode
 * 0600); reading also accepts an Ed25519 private JWK (`{kty:'OKP',
 * crv:'Ed25519', x, d}`, what localnets wrote before) and a 32-byte seed as
 * 64 hex digits. Private keys never appear in logs or errors; public keys
 * travel as their 32 raw bytes (base64 between hosts, hex on the ledger).
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
import { defineError } from '../errors/define-error.ts'

/** A loaded signing key and its public half. */
export type HostKey = {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  /** Base64 of the raw 32-byte public key. */
  readonly publicKeyBase64: string
}

/** A key file is missing or does not hold an Ed25519 private key. */
export class KeyFileInvalidError extends defineError('KEY_FILE_INVALID') {
  constructor(path: string, reason: string) {
    super(
      `Key file ${path} is not usable: ${reason}; create one with 'vigil host keygen --out ${path}'`,
      { kind: 'application', meta: { path } },
    )
  }
}

// RFC 8410 DER prefixes in front of the raw 32-byte keys.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Generates a fresh Ed25519 key pair. */
export function generateHostKey(): HostKey {
  return hostKeyFromPrivate(generateKeyPairSync('ed25519').privateKey)
}

/** The host key of an Ed25519 private key object (a key generated or imported in memory). */
export function hostKeyFromPrivate(privateKey: KeyObject): HostKey {
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, publicKeyBase64: publicKeyToBase64(publicKey) }
}

/** Raw 32 bytes of an Ed25519 public key. */
export function publicKeyToRaw(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  return new Uint8Array(spki.subarray(spki.length - 32))
}

/** Imports a raw 32-byte Ed25519 public key; throws on a malformed key. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error(`public key must be 32 bytes, got ${raw.length}`)
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  })
}

/** Raw 32-byte public key, base64. */
export function publicKeyToBase64(publicKey: KeyObject): string {
  return Buffer.from(publicKeyToRaw(publicKey)).toString('base64')
}

/** Imports a base64 raw Ed25519 public key; throws on a malformed key. */
export function publicKeyFromBase64(base64: string): KeyObject {
  return publicKeyFromRaw(Buffer.from(base64, 'base64'))
}

/** The text format of a written key file: PKCS#8 PEM (default) or a private JWK (`*.json` files). */
export type KeyFileFormat = 'pem' | 'jwk'

/** Writes a private key file with owner-only permissions. */
export async function writeHostKey(
  path: string,
  key: HostKey,
  format: KeyFileFormat = 'pem',
): Promise<void> {
  const text =
    format === 'jwk'
      ? JSON.stringify(key.privateKey.export({ format: 'jwk' }))
      : key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  await Bun.write(path, text)
  await chmod(path, 0o600)
}

/** Reads an Ed25519 private key file (PKCS#8 PEM, private JWK or 64-hex-digit seed). */
export async function readHostKey(path: string): Promise<HostKey> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new KeyFileInvalidError(path, 'file not found')
  return parseHostKey(await file.text(), path)
}

/**
 * Parses a key file's text: PKCS#8 PEM, an Ed25519 private JWK or a
 * 64-hex-digit seed. `source` names the file (or variable) in errors.
 */
export function parseHostKey(text: string, source: string): HostKey {
  const privateKey = parsePrivateKey(text.trim(), source)
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyFileInvalidError(
      source,
      `key type is ${String(privateKey.asymmetricKeyType)}, need ed25519`,
    )
  }
  return hostKeyFromPrivate(privateKey)
}

function parsePrivateKey(text: string, source: string): KeyObject {
  try {
    if (text.startsWith('-----BEGIN')) return createPrivateKey(text)
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as { kty?: string; crv?: string; d?: string }
      if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.d === 'string') {
        return createPrivateKey({ key: jwk, format: 'jwk' })
      }
    }
    if (/^[0-9a-fA-F]{64}$/.test(text)) {
      const der = Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(text, 'hex')])
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    }
  } catch {
    throw new KeyFileInvalidError(source, 'not a valid Ed25519 private key')
  }
  throw new KeyFileInvalidError(
    source,
    'expected a PKCS#8 PEM, an Ed25519 private JWK or a 64-hex-digit seed',
  )
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
