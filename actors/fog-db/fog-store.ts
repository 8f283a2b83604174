/**
 * The fog master database behind one interface, on SQLite (bun:sqlite, the
 * embedded default) or PostgreSQL (Bun's SQL client), both through
 * drizzle-orm with the same columns (fog-tables.ts). Migrations from
 * migrations/<dialect>/ (drizzle-kit) are applied at open. A batch is written
 * in one transaction, re-delivered rows are skipped (ON CONFLICT DO NOTHING),
 * and a write resolves only after its transaction committed (SQLite runs
 * with synchronous=FULL), so nothing acknowledged is lost on restart.
 */
import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { SQL } from 'bun'
import {
  and,
  type SQL as Condition,
  eq,
  getTableColumns,
  getTableName,
  gte,
  lte,
} from 'drizzle-orm'
import { drizzle as drizzlePostgres } from 'drizzle-orm/bun-sql'
import { migrate as migratePostgres } from 'drizzle-orm/bun-sql/migrator'
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite'
import { migrate as migrateSqlite } from 'drizzle-orm/bun-sqlite/migrator'
import type {
  IntegrityReceipt,
  StoredCall,
  StoredProof,
  StoredReceipt,
  StoredRow,
} from '../integrity/index.ts'
import { FogDatabaseError, FogRecordConflictError } from './errors.ts'
import { type ExportCursor, type ExportedCalls, exportCalls, receiptOf } from './export-calls.ts'
import { FOG_TABLE_NAMES, type FogTable } from './fog-tables.ts'
import {
  AUDITED_RECEIPT_COLUMNS,
  type AuditedReceiptRow,
  fromProofRow,
  fromRecordRow,
  type ProofRow,
  receiptOfRow,
  toProofRow,
  toReceiptRow,
  toRecordRow,
} from './row-codec.ts'
import * as pg from './schema-pg.ts'
import * as sqlite from './schema-sqlite.ts'
import { createSqliteReader } from './sqlite-reader.ts'
import { createSqliteWriter } from './sqlite-writer.ts'

/** Where the database lives: a PostgreSQL URL (`database.url`) or an SQLite file. */
export type FogStoreOptions = {
  /** `postgres://…`: use that server. Absent: SQLite at `file`. */
  readonly url?: string | undefined
  /** SQLite file; default `.data/fog.sqlite`. */
  readonly file?: string | undefined
}

/** A verified batch, ready to store (ingest-batch.ts checked it). */
export type VerifiedBatch = {
  readonly digest: string
  readonly hostId: string
  readonly hostPublicKey: string
  readonly signature: string
  readonly rows: readonly StoredRow[]
  readonly receipts: readonly StoredReceipt[]
  /** The ledger batch of the call's entry. */
  readonly proof: StoredProof
  /** The call tree's root and its leaves (hex, in order). */
  readonly callRoot: string
  readonly leaves: string
}

/** Rows of one table the services ask for: by camera and time, by track. */
export type FogQuery = {
  readonly table: FogTable
  readonly hostId?: string | undefined
  readonly cameraId?: string | undefined
  readonly trackId?: string | undefined
  readonly fromMs?: number | undefined
  readonly toMs?: number | undefined
  readonly limit?: number | undefined
}

export type AuditScope = {
  readonly tables?: readonly FogTable[] | undefined
  readonly hostId?: string | undefined
}

/** Every row, receipt, proof and call in an audit's scope. */
export type AuditMaterial = {
  readonly rows: StoredRow[]
  readonly receipts: StoredReceipt[]
  readonly proofs: StoredProof[]
  readonly calls: StoredCall[]
}

export type AuditRun = {
  readonly ranAtMs: number
  readonly scope: string
  readonly checked: number
  readonly intact: number
  readonly tampered: number
  readonly missing: number
  readonly unrecorded: number
  readonly report: string
}

export type FogStore = {
  readonly dialect: 'sqlite' | 'postgres'
  /** Stores a batch in one transaction; returns how many records were new. */
  storeBatch(batch: VerifiedBatch, nowMs: number): Promise<{ stored: number }>
  /** Every row and receipt in scope, for the audit. */
  auditMaterial(scope: AuditScope): Promise<AuditMaterial>
  /** Each host with rows or calls in `tables` (default all), and about how many rows it has. */
  auditHostRows(tables?: readonly FogTable[]): Promise<{ hostId: string; rows: number }[]>
  /** The two-level receipt of one stored record (for integrity.verify without one), or null. */
  receiptOf(hostId: string, table: string, id: string): Promise<IntegrityReceipt | null>
  saveAuditRun(run: AuditRun): Promise<void>
  /** Stored calls after `after`, oldest first, as they were ingested (for another fog site). */
  exportCalls(after: ExportCursor | undefined, limit: number): Promise<ExportedCalls>
  query(query: FogQuery): Promise<StoredRow[]>
  /** Runs one SQL statement (operators' repairs, tests' tampering). */
  execute(statement: string): Promise<void>
  close(): Promise<void>
}

const MIGRATIONS = join(import.meta.dir, 'migrations')

// drizzle's SQLite and PostgreSQL databases share the query-builder calls used here but no
// common TypeScript type; the dialect-specific parts (transactions, schema) stay typed below.
// biome-ignore lint/suspicious/noExplicitAny: the dialect-neutral query builder has no shared type
export type AnyDb = any
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
export type AnyTable = any

export type Schema = {
  records: Record<FogTable, AnyTable>
  receipts: AnyTable
  proofs: AnyTable
  batches: AnyTable
  auditRuns: AnyTable
}

const schemaOf = (s: typeof sqlite | typeof pg): Schema => ({
  records: {
    cameras: s.cameras,
    segments: s.segments,
    detections: s.detections,
    tracks: s.tracks,
    track_features: s.trackFeatures,
    alerts: s.alerts,
    enf_fingerprints: s.enfFingerprints,
  },
  receipts: s.integrityReceipts,
  proofs: s.integrityProofs,
  batches: s.integrityBatches,
  auditRuns: s.auditRuns,
})

type Insert = { readonly table: AnyTable; readonly rows: readonly Record<string, unknown>[] }

/** The receipts a write must not contradict: an id already stored under another hash. */
type ConflictCheck = { readonly hostId: string; readonly receipts: readonly StoredReceipt[] }

type Backend = {
  readonly dialect: 'sqlite' | 'postgres'
  readonly db: AnyDb
  /**
   * Runs the inserts in one transaction; returns rows inserted into the last insert's table.
   * With `conflicts`, the transaction is rolled back (FOG_RECORD_CONFLICT) when one of those
   * receipts' ids was already stored under another hash.
   */
  writeAll(inserts: readonly Insert[], conflicts?: ConflictCheck): Promise<number>
  /** Every row of `table` (keyed as drizzle's select) whose given columns equal the values. */
  readRows(
    table: AnyTable,
    where: Readonly<Record<string, string | undefined>>,
    columns?: readonly string[],
  ): Promise<Record<string, unknown>[]>
  execute(statement: string): Promise<void>
  close(): Promise<void>
}

/** Opens (and migrates) the fog database. */
export async function openFogStore(options: FogStoreOptions = {}): Promise<FogStore> {
  const backend = options.url ? await openPostgres(options.url) : openSqlite(options.file)
  return storeOver(backend, schemaOf(backend.dialect === 'sqlite' ? sqlite : pg))
}

/** Most bound parameters per statement (SQLite's default limit is 32,766). */
const MAX_PARAMETERS = 30_000

function chunks(insert: Insert): Insert[] {
  const columns = Math.max(1, Object.keys(insert.rows[0] ?? {}).length)
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns))
  const out: Insert[] = []
  for (let i = 0; i < insert.rows.length; i += size) {
    out.push({ table: insert.table, rows: insert.rows.slice(i, i + size) })
  }
  return out
}

function openSqlite(file = join('.data', 'fog.sqlite')): Backend {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const client = new Database(file, { create: true, strict: true })
  client.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;')
  const db = drizzleSqlite({ client })
  try {
    migrateSqlite(db, { migrationsFolder: join(MIGRATIONS, 'sqlite') })
  } catch (cause) {
    client.close()
    throw new FogDatabaseError(`Cannot migrate the SQLite fog database ${file}`, { cause })
  }
  const write = createSqliteWriter(client)
  const read = createSqliteReader(client)
  const held = client.prepare(
    'SELECT record_hash AS hash FROM integrity_receipts WHERE table_name = ? AND host_id = ? AND record_id = ?',
  )
  return {
    dialect: 'sqlite',
    db,
    writeAll: async (inserts, conflicts) =>
      write(inserts, (inserted) => {
        // Only when some receipt was already there (a re-delivery, or a conflict).
        if (!conflicts || inserted === conflicts.receipts.length) return
        conflicts.receipts.forEach((receipt, index) => {
          const row = held.get(receipt.table, conflicts.hostId, receipt.id) as { hash: string }
          if (row && row.hash !== receipt.recordHash) throwConflict(receipt, index)
        })
      }),
    readRows: async (table, where, columns) => read(table, where, columns),
    execute: async (statement) => {
      client.exec(statement)
    },
    close: async () => client.close(),
  }
}

async function openPostgres(url: string): Promise<Backend> {
  const client = new SQL(url)
  const db = drizzlePostgres({ client })
  try {
    await migratePostgres(db, { migrationsFolder: join(MIGRATIONS, 'pg') })
  } catch (cause) {
    await client.close()
    throw new FogDatabaseError(
      'Cannot reach or migrate the PostgreSQL fog database (database.url)',
      {
        cause,
      },
    )
  }
  return {
    dialect: 'postgres',
    db,
    readRows: (table, where, columns) => {
      const conditions = Object.entries(where)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => eq(table[key], value))
      const query = columns
        ? db.select(Object.fromEntries(columns.map((key) => [key, table[key]])))
        : db.select()
      return query.from(table).where(conditions.length > 0 ? and(...conditions) : undefined)
    },
    // Bulk inserts through Bun's SQL helper (one statement per chunk), not drizzle's builder.
    writeAll: (inserts, conflicts) =>
      client.begin(async (tx) => {
        let last = 0
        for (const insert of inserts) {
          last = 0
          const columns = Object.entries(
            getTableColumns(insert.table) as Record<string, { name: string }>,
          )
          for (const part of chunks(insert)) {
            const rows = part.rows.map((row) =>
              Object.fromEntries(columns.map(([key, column]) => [column.name, row[key] ?? null])),
            )
            const inserted =
              await tx`INSERT INTO ${tx(getTableName(insert.table))} ${tx(rows)} ON CONFLICT DO NOTHING RETURNING 1`
            last += inserted.length
          }
        }
        if (conflicts && last !== conflicts.receipts.length) await checkConflicts(tx, conflicts)
        return last
      }),
    execute: async (statement) => {
      await client.unsafe(statement)
    },
    close: () => client.close(),
  }
}

function throwConflict(receipt: StoredReceipt, index: number): never {
  throw new FogRecordConflictError(
    `${receipt.table}/${receipt.id} is already stored under another hash (records are write-once): give a changed record a new id; nothing of the batch was stored`,
    { meta: { table: receipt.table, id: receipt.id, index } },
  )
}

/** PostgreSQL: the stored hashes of the receipts' ids, one query per table. */
// biome-ignore lint/suspicious/noExplicitAny: Bun's SQL transaction handle
async function checkConflicts(tx: any, { hostId, receipts }: ConflictCheck): Promise<void> {
  const tables = new Set(receipts.map((receipt) => receipt.table))
  const stored = new Map<string, string>()
  for (const table of tables) {
    const ids = receipts.filter((receipt) => receipt.table === table).map((receipt) => receipt.id)
    const rows: { record_id: string; record_hash: string }[] =
      await tx`SELECT record_id, record_hash FROM integrity_receipts WHERE table_name = ${table} AND host_id = ${hostId} AND record_id IN ${tx(ids)}`
    for (const row of rows) stored.set(`${table}/${row.record_id}`, row.record_hash)
  }
  receipts.forEach((receipt, index) => {
    const hash = stored.get(`${receipt.table}/${receipt.id}`)
    if (hash !== undefined && hash !== receipt.recordHash) throwConflict(receipt, index)
  })
}

function storeOver(backend: Backend, schema: Schema): FogStore {
  const { db } = backend
  return {
    dialect: backend.dialect,
    storeBatch: (batch, nowMs) => storeBatchOver(backend, schema, batch, nowMs),
    async auditMaterial(scope) {
      const tables = scope.tables ?? FOG_TABLE_NAMES
      const rows: StoredRow[] = []
      const receipts: StoredReceipt[] = []
      for (const table of tables) {
        const recordRows = await backend.readRows(schema.records[table], { hostId: scope.hostId })
        for (const row of recordRows) rows.push(fromRecordRow(table, row))
        const receiptRows = (await backend.readRows(
          schema.receipts,
          { tableName: table, hostId: scope.hostId },
          AUDITED_RECEIPT_COLUMNS,
        )) as AuditedReceiptRow[]
        for (const row of receiptRows) receipts.push(receiptOfRow(table, row))
      }
      const digests = new Set(receipts.map((receipt) => receipt.batchDigest))
      const proofRows: ProofRow[] = await db.select().from(schema.proofs)
      const proofs = proofRows.filter((row) => digests.has(row.batchDigest)).map(fromProofRow)
      const b = schema.batches
      const callRows: StoredCall[] = await db
        .select({
          digest: b.digest,
          hostId: b.hostId,
          callRoot: b.callRoot,
          leaves: b.leaves,
          size: b.size,
        })
        .from(b)
        .where(scope.hostId === undefined ? undefined : eq(b.hostId, scope.hostId))
      const calls = callRows
        .filter((row) => digests.has(row.digest))
        .map((row) => ({ ...row, size: Number(row.size) }))
      return { rows, receipts, proofs, calls }
    },
    auditHostRows: (tables) => auditHostRows(db, schema, tables),
    receiptOf: (hostId, table, id) => receiptOf(db, schema, hostId, table, id),
    exportCalls: (after, limit) => exportCalls(db, schema, after, limit),
    async saveAuditRun(run) {
      await backend.writeAll([{ table: schema.auditRuns, rows: [run] }])
    },
    async query(query) {
      const t = schema.records[query.table]
      const time = t.tsMs ?? t.startMs
      const conditions: (Condition | undefined)[] = [
        query.hostId === undefined ? undefined : eq(t.hostId, query.hostId),
        query.cameraId === undefined || !t.cameraId ? undefined : eq(t.cameraId, query.cameraId),
        query.trackId === undefined || !t.trackId ? undefined : eq(t.trackId, query.trackId),
        query.fromMs === undefined || !time ? undefined : gte(time, query.fromMs),
        query.toMs === undefined || !time ? undefined : lte(time, query.toMs),
      ]
      const rows: Record<string, unknown>[] = await db
        .select()
        .from(t)
        .where(and(...conditions))
        .orderBy(...(time ? [time] : []), t.id)
        .limit(query.limit ?? 1000)
      return rows.map((row) => fromRecordRow(query.table, row))
    },
    execute: (statement) => backend.execute(statement),
    close: () => backend.close(),
  }
}

/** One verified batch as one transaction: its batch row, record rows, proofs and receipts. */
async function storeBatchOver(
  backend: Backend,
  schema: Schema,
  batch: VerifiedBatch,
  nowMs: number,
): Promise<{ stored: number }> {
  const inserts: Insert[] = [
    {
      table: schema.batches,
      rows: [
        {
          digest: batch.digest,
          hostId: batch.hostId,
          hostPublicKey: batch.hostPublicKey,
          signature: batch.signature,
          size: batch.receipts.length,
          ingestedAtMs: nowMs,
          callRoot: batch.callRoot,
          leaves: batch.leaves,
        },
      ],
    },
  ]
  const byTable = new Map<FogTable, Record<string, unknown>[]>()
  for (const row of batch.rows) {
    const table = row.table as FogTable
    const list = byTable.get(table) ?? []
    list.push(toRecordRow(table, row))
    byTable.set(table, list)
  }
  for (const [table, rows] of byTable) inserts.push({ table: schema.records[table], rows })
  inserts.push({ table: schema.proofs, rows: [toProofRow(batch.proof)] })
  inserts.push({
    table: schema.receipts,
    rows: batch.receipts.map((receipt, i) => toReceiptRow(receipt, nowMs, i)),
  })
  return {
    stored: await backend.writeAll(inserts, { hostId: batch.hostId, receipts: batch.receipts }),
  }
}

async function auditHostRows(
  db: AnyDb,
  schema: Schema,
  tables: readonly FogTable[] | undefined,
): Promise<{ hostId: string; rows: number }[]> {
  const rows = new Map<string, number>()
  const b = schema.batches
  const calls: { hostId: string; size: number }[] = await db
    .select({ hostId: b.hostId, size: b.size })
    .from(b)
  for (const call of calls) rows.set(call.hostId, (rows.get(call.hostId) ?? 0) + Number(call.size))
  // Hosts of rows without a call (unrecorded) and of receipts whose rows and call are gone
  // (missing) have shares too.
  const r = schema.receipts
  for (const t of [...(tables ?? FOG_TABLE_NAMES).map((table) => schema.records[table]), r]) {
    const hosts: { hostId: string }[] = await db.selectDistinct({ hostId: t.hostId }).from(t)
    for (const { hostId } of hosts) if (!rows.has(hostId)) rows.set(hostId, 0)
  }
  return [...rows].map(([hostId, count]) => ({ hostId, rows: count }))
}
