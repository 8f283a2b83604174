/**
 * Ed25519 keys that sign ledger transactions: a thin view of runtime's host
 * key (runtime/rpc/host-key.ts loads and writes every ed25519 key file) with
 * the public key as raw bytes and hex, the signer's id on the ledger. Key
 * files written here are private JWKs (localnets name them `keys/*.json`);
 * reading also accepts PKCS#8 PEM (`vigil host keygen`) and hex seeds. Keys come from files or env, never from code; tests and
 * localnets generate theirs at run time.
 */
import type { KeyObject } from 'node:crypto'
import {
  generateHostKey,
  type HostKey,
  parseHostKey,
  publicKeyFromRaw,
  publicKeyToRaw,
  readHostKey,
  signBytes as signWithHostKey,
  verifyBytes as verifyWithPublicKey,
  writeHostKey,
} from '../../runtime/index.ts'
import { toHex } from '../encoding/hex.ts'

/** A signing key: the private key object and the raw public key. */
export type SignerKey = {
  readonly privateKey: KeyObject
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
  /** The public key as lowercase hex (the signer's id on the ledger). */
  readonly publicKeyHex: string
  /** The same key as runtime loads it. */
  readonly hostKey: HostKey
}

function signerKeyFrom(hostKey: HostKey): SignerKey {
  const publicKey = publicKeyToRaw(hostKey.publicKey)
  return { privateKey: hostKey.privateKey, publicKey, publicKeyHex: toHex(publicKey), hostKey }
}

/** A fresh random key (tests, localnets). */
export function generateSignerKey(): SignerKey {
  return signerKeyFrom(generateHostKey())
}

/** Parses a key from a key file's text (PKCS#8 PEM, private JWK or hex seed). */
export function parseSignerKey(text: string): SignerKey {
  return signerKeyFrom(parseHostKey(text, 'signer key'))
}

/** Reads a key file. */
export async function loadSignerKey(path: string): Promise<SignerKey> {
  return signerKeyFrom(await readHostKey(path))
}

/** Writes a key file (private JWK) readable by its owner only. */
export async function saveSignerKey(key: SignerKey, path: string): Promise<void> {
  await writeHostKey(path, key.hostKey, 'jwk')
}

/** Ed25519 signature over `message`. */
export function signBytes(key: SignerKey, message: Uint8Array): Uint8Array {
  return new Uint8Array(signWithHostKey(key.hostKey, message))
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
    try {
      keyObject = publicKeyFromRaw(publicKey)
    } catch {
      return false
    }
    if (publicKeyCache.size > 10_000) publicKeyCache.clear()
    publicKeyCache.set(id, keyObject)
  }
  return verifyWithPublicKey(keyObject, message, signature)
}
