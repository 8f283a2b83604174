/**
 * The ABCI app's committed state as SQLite tables (drizzle-orm on bun:sqlite).
 * Everything here is written in one transaction per block, in Commit; the
 * tables are append-only except `meta`, which holds the last committed height
 * and app hash that Info reports after a restart.
 */
import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Single-row facts: last committed height, app hash, chain id, genesis settings. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

/** Enrolled signer keys (genesis and host_enrollment transactions). */
export const signers = sqliteTable('signers', {
  publicKeyHex: text('public_key_hex').primaryKey(),
  role: text('role', { enum: ['node', 'admin'] }).notNull(),
  name: text('name').notNull(),
  height: integer('height').notNull(),
  /** Batch (tx hash, lowercase hex) of the enrollment, '' for genesis keys. */
  enrolledBy: text('enrolled_by').notNull(),
})

/**
 * One row per committed record batch: its Merkle root and the records
 * themselves, as the payload the transaction carried (zstd or plain), stored
 * once per batch rather than as a row per record. Records and leaf hashes are
 * read back from it (a query decodes and hashes the batch: about a
 * millisecond per thousand records), which keeps Commit's writes to the
 * compressed bytes.
 */
export const batches = sqliteTable('batches', {
  /** Local row number, referenced by `record_keys.batch`. */
  seq: integer('seq').primaryKey(),
  batchId: text('batch_id').notNull().unique(),
  root: text('root').notNull(),
  size: integer('size').notNull(),
  height: integer('height').notNull(),
  txHash: text('tx_hash').notNull(),
  signer: text('signer').notNull(),
  /** The record batch payload as the transaction carried it (type 1 or 3; see ledger-tx.ts). */
  records: blob('records', { mode: 'buffer' }).notNull(),
})

/** Append-only key index: a key once written is never rewritten. */
export const recordKeys = sqliteTable('record_keys', {
  key: text('key').primaryKey(),
  /** `batches.seq` of the batch holding the record. */
  batch: integer('batch').notNull(),
  /** The record's leaf index in its batch. */
  leaf: integer('leaf').notNull(),
})

/** Used (signer, nonce) pairs: replay protection. */
export const nonces = sqliteTable(
  'nonces',
  {
    signer: text('signer').notNull(),
    nonce: text('nonce').notNull(),
  },
  (table) => [primaryKey({ columns: [table.signer, table.nonce] })],
)

/** Layout version, kept in `meta.schema`; a database of another layout is refused at open. */
export const SCHEMA_VERSION = '3'

/** DDL for the tables above (no migration tool at run time; the schema is versioned by `meta.schema`). */
export const SCHEMA_DDL = [
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS signers (public_key_hex TEXT PRIMARY KEY, role TEXT NOT NULL,
    name TEXT NOT NULL, height INTEGER NOT NULL, enrolled_by TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS batches (seq INTEGER PRIMARY KEY, batch_id TEXT NOT NULL UNIQUE,
    root TEXT NOT NULL, size INTEGER NOT NULL, height INTEGER NOT NULL, tx_hash TEXT NOT NULL,
    signer TEXT NOT NULL, records BLOB NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS record_keys (key TEXT PRIMARY KEY, batch INTEGER NOT NULL,
    leaf INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS nonces (signer TEXT NOT NULL, nonce TEXT NOT NULL,
    PRIMARY KEY (signer, nonce)) WITHOUT ROWID`,
] as const
