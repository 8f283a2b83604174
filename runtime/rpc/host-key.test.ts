import { describe, expect, test } from 'bun:test'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  generateHostKey,
  KeyFileInvalidError,
  parseHostKey,
  readHostKey,
  signBytes,
  verifyBytes,
  writeHostKey,
} from './host-key.ts'

describe('host key files', () => {
  test('a key written as PEM or JWK reads back as the same key, owner-only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-host-key-'))
    try {
      const key = generateHostKey()
      for (const [name, format] of [
        ['key.pem', 'pem'],
        ['key.json', 'jwk'],
      ] as const) {
        const path = join(dir, name)
        await writeHostKey(path, key, format)
        expect((await stat(path)).mode & 0o777).toBe(0o600)
        expect((await readHostKey(path)).publicKeyBase64).toBe(key.publicKeyBase64)
      }
      expect(await readFile(join(dir, 'key.pem'), 'utf8')).toStartWith('-----BEGIN PRIVATE KEY')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('a 64-hex-digit seed is a key whose signatures verify', () => {
    const key = parseHostKey('11'.repeat(32), 'seed')
    const data = new TextEncoder().encode('hello')
    expect(verifyBytes(key.publicKey, data, signBytes(key, data))).toBe(true)
  })

  test('text that is no ed25519 private key is refused with KEY_FILE_INVALID', () => {
    for (const text of ['hello', '{"kty":"RSA"}', '-----BEGIN PRIVATE KEY-----\nxx\n']) {
      expect(() => parseHostKey(text, 'k')).toThrow(KeyFileInvalidError)
    }
  })
})
