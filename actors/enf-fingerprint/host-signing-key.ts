/**
 * The edge host's Ed25519 key that signs ENF fingerprints (node:crypto). The
 * key comes from a file named in the actor's arguments, never from code:
 * an Ed25519 private JWK (`{kty:'OKP', crv:'Ed25519', x, d}`, the format the
 * ledger's key files use), a PKCS#8 PEM, or a 32-byte seed as 64 hex digits.
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
import { EnfSigningKeyError } from './errors.ts'

/** Signs bytes with the host key; `publicKeyHex` identifies the signer. */
export type HostSigner = {
  readonly publicKeyHex: string
  sign(bytes: Uint8Array): string
}

// RFC 8410 DER prefixes in front of the raw 32-byte key.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

function signerFrom(privateKey: KeyObject): HostSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`key type is ${String(privateKey.asymmetricKeyType)}, need ed25519`)
  }
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const publicKeyHex = Buffer.from(spki.subarray(spki.length - 32)).toString('hex')
  return {
    publicKeyHex,
    sign: (bytes) => Buffer.from(sign(null, bytes, privateKey)).toString('hex'),
  }
}

/** Parses a key file's text (JWK, PEM or hex seed). */
export function parseHostSigningKey(text: string): HostSigner {
  const trimmed = text.trim()
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as { kty?: string; crv?: string; d?: string }
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
        throw new Error('not an Ed25519 private JWK')
      }
      return signerFrom(createPrivateKey({ key: jwk, format: 'jwk' }))
    }
    if (trimmed.startsWith('-----BEGIN')) return signerFrom(createPrivateKey(trimmed))
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
      const der = Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(trimmed, 'hex')])
      return signerFrom(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }))
    }
  } catch (cause) {
    throw new EnfSigningKeyError('The signing key file does not hold a valid Ed25519 private key', {
      cause,
    })
  }
  throw new EnfSigningKeyError(
    'The signing key file must hold an Ed25519 private JWK, a PKCS#8 PEM or a 64-hex-digit seed',
  )
}

/** Reads the host key from `path`. */
export async function loadHostSigningKey(path: string): Promise<HostSigner> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new EnfSigningKeyError(`Cannot read the signing key file ${path}`, { cause })
  }
  return parseHostSigningKey(text)
}

/** Writes a fresh key as a private JWK file (mode 0600); returns the signer (tests, provisioning). */
export async function generateHostSigningKeyFile(path: string): Promise<HostSigner> {
  const { privateKey } = generateKeyPairSync('ed25519')
  await writeFile(path, JSON.stringify(privateKey.export({ format: 'jwk' })), { mode: 0o600 })
  await chmod(path, 0o600)
  return signerFrom(privateKey)
}

/** True when `signatureHex` is `publicKeyHex`'s Ed25519 signature of `bytes`. */
export function verifyHostSignature(
  publicKeyHex: string,
  bytes: Uint8Array,
  signatureHex: string,
): boolean {
  if (!/^[0-9a-f]{64}$/.test(publicKeyHex) || !/^[0-9a-f]{128}$/.test(signatureHex)) return false
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
      format: 'der',
      type: 'spki',
    })
    return verify(null, bytes, key, Buffer.from(signatureHex, 'hex'))
  } catch {
    return false
  }
}
