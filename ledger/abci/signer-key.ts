/**
 * Ed25519 keys that sign ledger transactions (node:crypto). A key file is the
 * private key as JSON Web Key (`{kty:'OKP', crv:'Ed25519', x, d}`); the public
 * key travels as 32 raw bytes. Keys come from files or env, never from code;
 * tests and localnets generate theirs at run time.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { fromHex, toHex } from '../encoding/hex.ts'

/** A signing key: the private key object and the raw public key. */
export type SignerKey = {
  readonly privateKey: KeyObject
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
  /** The public key as lowercase hex (the signer's id on the ledger). */
  readonly publicKeyHex: string
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the raw 32 bytes.
const SPKI_ED25519_PREFIX = fromHex('302a300506032b6570032100')

/** A fresh random key (tests, localnets). */
export function generateSignerKey(): SignerKey {
  const { privateKey } = generateKeyPairSync('ed25519')
  return signerKeyFromPrivate(privateKey)
}

function signerKeyFromPrivate(privateKey: KeyObject): SignerKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' })
  const publicKey = new Uint8Array(Buffer.from(jwk.x as string, 'base64url'))
  return { privateKey, publicKey, publicKeyHex: toHex(publicKey) }
}

/** Parses a key from its JWK JSON text. */
export function parseSignerKey(jwkJson: string): SignerKey {
  const jwk = JSON.parse(jwkJson) as { kty?: string; crv?: string; d?: string }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
    throw new TypeError(
      'signer key must be an Ed25519 private JWK ({kty:"OKP", crv:"Ed25519", x, d})',
    )
  }
  return signerKeyFromPrivate(createPrivateKey({ key: jwk, format: 'jwk' }))
}

/** The key's private JWK as JSON text (what a key file holds). */
export function serializeSignerKey(key: SignerKey): string {
  return JSON.stringify(key.privateKey.export({ format: 'jwk' }))
}

/** Reads a key file. */
export async function loadSignerKey(path: string): Promise<SignerKey> {
  return parseSignerKey(await readFile(path, 'utf8'))
}

/** Writes a key file readable by its owner only. */
export async function saveSignerKey(key: SignerKey, path: string): Promise<void> {
  await writeFile(path, serializeSignerKey(key), { mode: 0o600 })
  await chmod(path, 0o600)
}

/** Ed25519 signature over `message`. */
export function signBytes(key: SignerKey, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key.privateKey))
}

const publicKeyCache = new Map<string, KeyObject>()

/** True when `signature` is `publicKey`'s Ed25519 signature of `message`. */
export function verifyBytes(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false
  const id = toHex(publicKey)
  let keyObject = publicKeyCache.get(id)
  if (!keyObject) {
    const der = new Uint8Array(SPKI_ED25519_PREFIX.length + 32)
    der.set(SPKI_ED25519_PREFIX)
    der.set(publicKey, SPKI_ED25519_PREFIX.length)
    try {
      keyObject = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    } catch {
      return false
    }
    if (publicKeyCache.size > 10_000) publicKeyCache.clear()
    publicKeyCache.set(id, keyObject)
  }
  return verify(null, message, keyObject, signature)
}
