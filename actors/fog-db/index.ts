/**
 * The fog master database: the schema of what the surveillance pipeline
 * produces (fog-tables.ts → SQLite and PostgreSQL schemas, drizzle-kit
 * migrations), the store, verified ingest of edge batches, and the fog-db
 * actor. Other folders import from here, by name. See docs/fog-database.md.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint module of the fog-db folder
export { dbCommand } from './cli/db-command.ts'
export {
  type DatabaseConfig,
  databaseConfigSchema,
  fogDbDatabaseArgs,
} from './database-config.ts'
export {
  FogBatchRefusedError,
  FogCallerRefusedError,
  FogDatabaseError,
  type FogDbErrorCode,
  FogRecordConflictError,
  fogDbErrors,
} from './errors.ts'
export { fogDbActor } from './fog-db-actor.ts'
export {
  type AuditScope,
  type FogQuery,
  type FogStore,
  type FogStoreOptions,
  openFogStore,
  type VerifiedBatch,
} from './fog-store.ts'
export { FOG_DATA_SCHEMAS, FOG_TABLE_NAMES, FOG_TABLES, type FogTable } from './fog-tables.ts'
export {
  type FogVerifierArgs,
  fogVerifierActor,
  fogVerifierArgs,
  fogVerifierProtocol,
} from './fog-verifier-actor.ts'
export {
  type HostOfKey,
  type IngestDeps,
  type IngestParameters,
  ingestBatch,
  storeVerified,
  type Verdict,
  type VerifyDeps,
  verifyBatch,
} from './ingest-batch.ts'
export { type FogDbArgs, fogDbProtocol } from './protocol.ts'
