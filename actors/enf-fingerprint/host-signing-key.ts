/**
 * The edge host's Ed25519 key that signs ENF fingerprints: a view of
 * runtime's host key (runtime/rpc/host-key.ts loads, parses and writes every
 * Ed25519 key file) with the public key as hex, the form fingerprints carry.
 * The key comes from a file named in the actor's arguments, never from code:
 * a PKCS#8 PEM (`vigil host keygen`), an Ed25519 private JWK or a 32-byte
 * seed as 64 hex digits. A key runtime refuses becomes ENF_SIGNING_KEY.
 */
import {
  generateHostKey,
  type HostKey,
  KeyFileInvalidError,
  parseHostKey,
  publicKeyFromRaw,
  publicKeyToRaw,
  readHostKey,
  signBytes,
  verifyBytes,
  writeHostKey,
} from '../../runtime/index.ts'
import { EnfSigningKeyError } from './errors.ts'

/** Signs bytes with the host key; `publicKeyHex` identifies the signer. */
export type HostSigner = {
  readonly publicKeyHex: string
  sign(bytes: Uint8Array): string
}

function signerFrom(key: HostKey): HostSigner {
  return {
    publicKeyHex: Buffer.from(publicKeyToRaw(key.publicKey)).toString('hex'),
    sign: (bytes) => Buffer.from(signBytes(key, bytes)).toString('hex'),
  }
}

function asEnfError(error: unknown): unknown {
  if (!(error instanceof KeyFileInvalidError)) return error
  return new EnfSigningKeyError(error.shortMessage, { cause: error })
}

/** Parses a key file's text (PEM, JWK or hex seed). */
export function parseHostSigningKey(text: string): HostSigner {
  try {
    return signerFrom(parseHostKey(text, 'signing-key'))
  } catch (error) {
    throw asEnfError(error)
  }
}

/** Reads the host key from `path`. */
export async function loadHostSigningKey(path: string): Promise<HostSigner> {
  try {
    return signerFrom(await readHostKey(path))
  } catch (error) {
    throw asEnfError(error)
  }
}

/** Writes a fresh key as a private JWK file (mode 0600); returns the signer (tests, provisioning). */
export async function generateHostSigningKeyFile(path: string): Promise<HostSigner> {
  const key = generateHostKey()
  await writeHostKey(path, key, 'jwk')
  return signerFrom(key)
}

/** True when `signatureHex` is `publicKeyHex`'s Ed25519 signature of `bytes`. */
export function verifyHostSignature(
  publicKeyHex: string,
  bytes: Uint8Array,
  signatureHex: string,
): boolean {
  if (!/^[0-9a-f]{64}$/.test(publicKeyHex) || !/^[0-9a-f]{128}$/.test(signatureHex)) return false
  try {
    const key = publicKeyFromRaw(Buffer.from(publicKeyHex, 'hex'))
    return verifyBytes(key, bytes, Buffer.from(signatureHex, 'hex'))
  } catch {
    return false
  }
}
