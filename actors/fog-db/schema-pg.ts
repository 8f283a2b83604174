/**
 * The fog master database in PostgreSQL (Bun's SQL client, drizzle's bun-sql
 * driver), generated from the same table declarations as the SQLite schema
 * (fog-tables.ts). Integers are `bigint` read as JS numbers (ms timestamps
 * exceed int4); reals are float8, which round-trips every JS number exactly.
 * drizzle-kit reads this file (`bun run db:generate`) to write migrations/pg/.
 */
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  type PgColumnBuilderBase,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core'
import { type ColumnSpec, FOG_INDEXES, FOG_TABLES, type FogTable, sqlName } from './fog-tables.ts'

const int = (name: string) => bigint(name, { mode: 'number' })

function column(name: string, spec: ColumnSpec): PgColumnBuilderBase {
  const sql = sqlName(name)
  const base =
    spec.kind === 'int'
      ? int(sql)
      : spec.kind === 'real'
        ? doublePrecision(sql)
        : spec.kind === 'bool'
          ? boolean(sql)
          : text(sql)
  return spec.nullable ? base : base.notNull()
}

function recordTable(table: FogTable) {
  const columns: Record<string, PgColumnBuilderBase> = {
    hostId: text('host_id').notNull(),
    id: text('id').notNull(),
  }
  for (const [name, spec] of Object.entries(FOG_TABLES[table])) columns[name] = column(name, spec)
  return pgTable(table, columns, (t) => {
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
export const integrityBatches = pgTable('integrity_batches', {
  digest: text('digest').primaryKey(),
  hostId: text('host_id').notNull(),
  hostPublicKey: text('host_public_key').notNull(),
  signature: text('signature').notNull(),
  size: int('size').notNull(),
  ingestedAtMs: int('ingested_at_ms').notNull(),
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
export const integrityReceipts = pgTable(
  'integrity_receipts',
  {
    tableName: text('table_name').notNull(),
    hostId: text('host_id').notNull(),
    recordId: text('record_id').notNull(),
    recordHash: text('record_hash').notNull(),
    batchDigest: text('batch_digest').notNull(),
    leafIndex: int('leaf_index').notNull(),
    batchId: text('batch_id').notNull(),
    /** The record's place in its signed call (the order the signature covers). */
    position: int('position').notNull().default(0),
    ingestedAtMs: int('ingested_at_ms').notNull(),
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
export const integrityProofs = pgTable(
  'integrity_proofs',
  {
    batchDigest: text('batch_digest').notNull(),
    batchId: text('batch_id').notNull(),
    batchRoot: text('batch_root').notNull(),
    chainId: text('chain_id').notNull(),
    height: int('height').notNull(),
    txHash: text('tx_hash').notNull(),
    treeSize: int('tree_size').notNull(),
    nodes: text('nodes').notNull(),
    /** The call entry's leaf index in the ledger batch. */
    leafIndex: int('leaf_index').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.batchDigest, t.batchId] })],
)

/** One `integrity.audit` run and what it found. */
export const auditRuns = pgTable('audit_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  ranAtMs: int('ran_at_ms').notNull(),
  scope: text('scope').notNull(),
  checked: int('checked').notNull(),
  intact: int('intact').notNull(),
  tampered: int('tampered').notNull(),
  missing: int('missing').notNull(),
  unrecorded: int('unrecorded').notNull(),
  report: text('report').notNull(),
})
