/**
 * The fog master database in SQLite (bun:sqlite), generated from the table
 * declarations in fog-tables.ts plus the integrity tables. drizzle-kit reads
 * this file (`bun run db:generate`) to write migrations/sqlite/.
 */
import {
  index,
  integer,
  primaryKey,
  real,
  type SQLiteColumnBuilderBase,
  sqliteTable,
  text,
} from 'drizzle-orm/sqlite-core'
import { type ColumnSpec, FOG_INDEXES, FOG_TABLES, type FogTable, sqlName } from './fog-tables.ts'

function column(name: string, spec: ColumnSpec): SQLiteColumnBuilderBase {
  const sql = sqlName(name)
  const base =
    spec.kind === 'int'
      ? integer(sql)
      : spec.kind === 'real'
        ? real(sql)
        : spec.kind === 'bool'
          ? integer(sql, { mode: 'boolean' })
          : text(sql)
  return spec.nullable ? base : base.notNull()
}

function recordTable(table: FogTable) {
  const columns: Record<string, SQLiteColumnBuilderBase> = {
    hostId: text('host_id').notNull(),
    id: text('id').notNull(),
  }
  for (const [name, spec] of Object.entries(FOG_TABLES[table])) columns[name] = column(name, spec)
  return sqliteTable(table, columns, (t) => {
    const cols = t as Record<string, never>
    return [
      primaryKey({ columns: [cols.hostId, cols.id] as [never, never] }),
      ...(FOG_INDEXES[table] ?? []).map((names) =>
        index(`${table}_${names.map(sqlName).join('_')}_idx`).on(
          ...(names.map((n) => cols[n]) as [never, ...never[]]),
        ),
      ),
    ]
  })
}

export const cameras = recordTable('cameras')
export const segments = recordTable('segments')
export const detections = recordTable('detections')
export const tracks = recordTable('tracks')
export const trackFeatures = recordTable('track_features')
export const alerts = recordTable('alerts')
export const enfFingerprints = recordTable('enf_fingerprints')

/** One signed batch from an edge host, as ingested. */
export const integrityBatches = sqliteTable('integrity_batches', {
  digest: text('digest').primaryKey(),
  hostId: text('host_id').notNull(),
  hostPublicKey: text('host_public_key').notNull(),
  signature: text('signature').notNull(),
  size: integer('size').notNull(),
  ingestedAtMs: integer('ingested_at_ms').notNull(),
  /** Root of the call tree, committed as the ledger entry integrity:<hostId>/call/<root>. */
  callRoot: text('call_root').notNull().default(''),
  /** Every leaf of the call tree in order, hex (64 characters a leaf): pinpoints damaged rows. */
  leaves: text('leaves').notNull().default(''),
})

/**
 * One record's integrity receipt: its hash, its place in its call (leaf_index = position, its
 * leaf in the call tree) and the ledger batch of the call's entry (whose header and proof nodes
 * are in integrity_proofs, once per call).
 */
export const integrityReceipts = sqliteTable(
  'integrity_receipts',
  {
    tableName: text('table_name').notNull(),
    hostId: text('host_id').notNull(),
    recordId: text('record_id').notNull(),
    recordHash: text('record_hash').notNull(),
    batchDigest: text('batch_digest').notNull(),
    leafIndex: integer('leaf_index').notNull(),
    batchId: text('batch_id').notNull(),
    /** The record's place in its signed call (the order the signature covers). */
    position: integer('position').notNull().default(0),
    ingestedAtMs: integer('ingested_at_ms').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.hostId, t.recordId] }),
    index('integrity_receipts_batch_digest_idx').on(t.batchDigest),
  ],
)

/**
 * The ledger batch of one call's entry: the batch header, the entry's leaf index and the tree
 * nodes the entry cannot rebuild (ledger/merkle/compact-receipts.ts).
 */
export const integrityProofs = sqliteTable(
  'integrity_proofs',
  {
    batchDigest: text('batch_digest').notNull(),
    batchId: text('batch_id').notNull(),
    batchRoot: text('batch_root').notNull(),
    chainId: text('chain_id').notNull(),
    height: integer('height').notNull(),
    txHash: text('tx_hash').notNull(),
    treeSize: integer('tree_size').notNull(),
    nodes: text('nodes').notNull(),
    /** The call entry's leaf index in the ledger batch. */
    leafIndex: integer('leaf_index').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.batchDigest, t.batchId] })],
)

/** One `integrity.audit` run and what it found. */
export const auditRuns = sqliteTable('audit_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ranAtMs: integer('ran_at_ms').notNull(),
  scope: text('scope').notNull(),
  checked: integer('checked').notNull(),
  intact: integer('intact').notNull(),
  tampered: integer('tampered').notNull(),
  missing: integer('missing').notNull(),
  unrecorded: integer('unrecorded').notNull(),
  report: text('report').notNull(),
})
