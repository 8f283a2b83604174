import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../runtime/index.ts'
import { databaseConfigSchema, fogDbDatabaseArgs } from './database-config.ts'

describe('database config', () => {
  test('defaults to the embedded SQLite file under .data/', async () => {
    const config = await loadConfig({ schema: databaseConfigSchema, env: {} })
    expect(fogDbDatabaseArgs(config)).toEqual({ databaseFile: '.data/fog.sqlite' })
  })

  test('takes database.url from the environment as the PostgreSQL server', async () => {
    const config = await loadConfig({
      schema: databaseConfigSchema,
      env: { VIGIL_DATABASE__URL: 'postgres://fog@10.0.0.5:5432/vigil' },
    })
    expect(fogDbDatabaseArgs(config).databaseUrl).toBe('postgres://fog@10.0.0.5:5432/vigil')
  })

  test('refuses a database.url that is not a PostgreSQL URL, naming the field', async () => {
    await expect(
      loadConfig({ schema: databaseConfigSchema, env: { VIGIL_DATABASE__URL: 'mysql://x' } }),
    ).rejects.toThrow(/database\.url/)
  })
})
