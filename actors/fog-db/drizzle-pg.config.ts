/** drizzle-kit configuration of the fog database's PostgreSQL migrations (`bunx drizzle-kit generate --config actors/fog-db/drizzle-pg.config.ts`). */
import { defineConfig } from 'drizzle-kit'

// biome-ignore lint/style/noDefaultExport: drizzle-kit reads the config's default export
export default defineConfig({
  dialect: 'postgresql',
  schema: './actors/fog-db/schema-pg.ts',
  out: './actors/fog-db/migrations/pg',
})
