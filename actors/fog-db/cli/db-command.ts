/**
 * `vigil db migrate [--url postgres://…] [--file .data/fog.sqlite]`: applies
 * the fog master database's drizzle-kit migrations (the fog-db actor also
 * applies them at start). Without --url, the embedded SQLite file.
 */
import { type Command, stringFlag } from '../../../runtime/index.ts'
import { openFogStore } from '../fog-store.ts'

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the fog database migrations (SQLite file or PostgreSQL URL)',
  usage: '[--url <postgres-url>] [--file <sqlite-file>]',
  options: {
    url: { type: 'string', description: 'PostgreSQL URL (config database.url)' },
    file: { type: 'string', description: 'SQLite file', default: '.data/fog.sqlite' },
  },
  async run({ values, out }) {
    const url = stringFlag(values, 'url')
    const file = stringFlag(values, 'file')
    const store = await openFogStore({ url, file })
    await store.close()
    out(`fog database migrated (${store.dialect}${url ? '' : `: ${file}`})`)
    return 0
  },
}

/** `vigil db`: the fog master database. */
export const dbCommand: Command = {
  name: 'db',
  summary: 'fog master database (migrations)',
  subcommands: [migrateCommand],
}
