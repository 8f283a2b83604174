import { describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePrivateKey } from 'viem/accounts'
import { EthKeyFileInvalidError } from './errors.ts'
import { loadKeyFile } from './load-key-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-key-test-'))
const write = async (name: string, content: string) => {
  const path = join(dir, name)
  await Bun.write(path, content)
  return path
}

describe('loadKeyFile', () => {
  test('reads a 0x-prefixed 32-byte key with a trailing newline', async () => {
    const key = generatePrivateKey()
    expect(await loadKeyFile(await write('good.hex', `${key}\n`))).toBe(key)
  })

  test('refuses a missing file, garbage and the zero key without echoing the content', async () => {
    const cases = [
      join(dir, 'missing.hex'),
      await write('garbage.hex', 'secret-passphrase-not-a-key'),
      await write('short.hex', '0x1234'),
      await write('two.hex', `${generatePrivateKey()}\n${generatePrivateKey()}\n`),
      await write('zero.hex', `0x${'0'.repeat(64)}`),
    ]
    for (const path of cases) {
      const error = await loadKeyFile(path).catch((e: unknown) => e)
      expect(EthKeyFileInvalidError.is(error)).toBe(true)
      expect((error as Error).message).toContain(path)
      expect((error as Error).message).not.toContain('secret-passphrase')
    }
  })
})
