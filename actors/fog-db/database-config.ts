/**
 * The fog master database's section of the typed configuration: `database.url`
 * (a PostgreSQL URL, the way a fog site of several machines runs it) or, by
 * default, the embedded SQLite file `database.file` under `.data/`. Loaded with
 * runtime's loadConfig (file, then `VIGIL_DATABASE__URL` / `VIGIL_DATABASE__FILE`),
 * and handed to the fog-db actor as its `databaseUrl` / `databaseFile` args.
 */
import { z } from 'zod'

export const databaseConfigSchema = z.object({
  database: z
    .object({
      url: z
        .string()
        .regex(/^postgres(?:ql)?:\/\//, 'a postgres:// or postgresql:// URL')
        .optional()
        .describe('PostgreSQL server of the fog master database; absent: embedded SQLite'),
      file: z
        .string()
        .min(1)
        .default('.data/fog.sqlite')
        .describe('SQLite file when no url is given; default .data/fog.sqlite'),
    })
    .prefault({}),
})

export type DatabaseConfig = z.output<typeof databaseConfigSchema>

/** The fog-db actor's database args from the configuration. */
export function fogDbDatabaseArgs(config: DatabaseConfig): {
  databaseUrl?: string
  databaseFile: string
} {
  return config.database.url
    ? { databaseUrl: config.database.url, databaseFile: config.database.file }
    : { databaseFile: config.database.file }
}
