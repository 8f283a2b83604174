import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { ConfigError } from './config-error.ts'
import { loadConfig } from './load-config.ts'

const schema = z.object({
  kernel: z
    .object({
      mailboxCapacity: z.number().int().positive().default(1024).describe('messages per mailbox'),
      strategy: z.enum(['one_for_one', 'one_for_all']).default('one_for_one'),
    })
    .default({ mailboxCapacity: 1024, strategy: 'one_for_one' }),
})

const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadConfig', () => {
  test('applies defaults, then file, then environment, then overrides', async () => {
    const file = join(dir, 'a.json')
    writeFileSync(file, JSON.stringify({ kernel: { mailboxCapacity: 8 } }))
    expect(await loadConfig({ schema })).toEqual({
      kernel: { mailboxCapacity: 1024, strategy: 'one_for_one' },
    })
    expect(
      await loadConfig({
        schema,
        file,
        env: { VIGIL_KERNEL__STRATEGY: 'one_for_all', OTHER: 'x' },
      }),
    ).toEqual({ kernel: { mailboxCapacity: 8, strategy: 'one_for_all' } })
    expect(
      await loadConfig({
        schema,
        file,
        env: { VIGIL_KERNEL__MAILBOX_CAPACITY: '16' },
        overrides: { kernel: { mailboxCapacity: 32 } },
      }),
    ).toEqual({ kernel: { mailboxCapacity: 32, strategy: 'one_for_one' } })
  })

  test('reads TOML files', async () => {
    const file = join(dir, 'a.toml')
    writeFileSync(file, '[kernel]\nmailboxCapacity = 4\n')
    expect((await loadConfig({ schema, file })).kernel.mailboxCapacity).toBe(4)
  })

  test('names every bad field and what is allowed in one ConfigError', async () => {
    const error = await loadConfig({
      schema,
      overrides: { kernel: { mailboxCapacity: -1, strategy: 'random' } },
    }).catch((e: unknown) => e)
    expect(ConfigError.is(error)).toBe(true)
    const problems = (error as ConfigError).problems.map((p) => p.path)
    expect(problems).toEqual(['kernel.mailboxCapacity', 'kernel.strategy'])
    expect((error as ConfigError).message).toContain('one_for_one')
  })

  test('reports a missing or unparsable file as a ConfigError', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ nope')
    expect(ConfigError.is(await loadConfig({ schema, file: bad }).catch((e: unknown) => e))).toBe(
      true,
    )
    expect(
      ConfigError.is(
        await loadConfig({ schema, file: join(dir, 'missing.json') }).catch((e: unknown) => e),
      ),
    ).toBe(true)
  })
})
