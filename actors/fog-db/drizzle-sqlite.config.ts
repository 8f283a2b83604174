/** drizzle-kit configuration of the fog database's SQLite migrations (`bunx drizzle-kit generate --config actors/fog-db/drizzle-sqlite.config.ts`). */
import { defineConfig } from 'drizzle-kit'

// biome-ignore lint/style/noDefaultExport: drizzle-kit reads the config's default export
export default defineConfig({
  dialect: 'sqlite',
  schema: './actors/fog-db/schema-sqlite.ts',
  out: './actors/fog-db/migrations/sqlite',
})
