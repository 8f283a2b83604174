/**
 * Bulk inserts into the SQLite fog database, bypassing drizzle's query builder
 * (≈90 µs a row for wide multi-row inserts): per table and row count one
 * prepared multi-row `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING`,
 * up to ROWS_PER_STATEMENT rows (and SQLite's parameter limit) per run, all
 * inside one transaction. A run per row cost ~3× more (one native call and
 * bind per row).
 */
import type { Database } from 'bun:sqlite'
import { getTableColumns, getTableName } from 'drizzle-orm'

// biome-ignore lint/suspicious/noExplicitAny: drizzle's SQLite tables have no common row type
type AnyTable = any

export type SqliteInsert = {
  readonly table: AnyTable
  readonly rows: readonly Record<string, unknown>[]
}

const ROWS_PER_STATEMENT = 128
/** Most bound parameters per statement (SQLite's default limit is 32,766). */
const MAX_PARAMETERS = 30_000

type Shape = { keys: string[]; names: string; marks: string; table: string }

/**
 * Runs inside the transaction after the inserts with the rows inserted into the last insert's
 * table; throwing rolls the whole transaction back.
 */
export type SqliteAfterInsert = (inserted: number) => void

/** Writes inserts in one transaction; answers the rows inserted into the last insert's table. */
export function createSqliteWriter(
  client: Database,
): (inserts: readonly SqliteInsert[], after?: SqliteAfterInsert) => number {
  const shapes = new Map<AnyTable, Shape>()
  const statements = new Map<string, ReturnType<Database['prepare']>>()
  const shapeOf = (table: AnyTable): Shape => {
    let shape = shapes.get(table)
    if (!shape) {
      const columns = Object.entries(getTableColumns(table) as Record<string, { name: string }>)
      shape = {
        keys: columns.map(([key]) => key),
        names: columns.map(([, column]) => `"${column.name}"`).join(', '),
        marks: `(${columns.map(() => '?').join(', ')})`,
        table: getTableName(table),
      }
      shapes.set(table, shape)
    }
    return shape
  }
  const statementFor = (shape: Shape, rows: number) => {
    const id = `${shape.table}\u0000${rows}`
    let statement = statements.get(id)
    if (!statement) {
      const values = Array.from({ length: rows }, () => shape.marks).join(', ')
      statement = client.prepare(
        `INSERT INTO "${shape.table}" (${shape.names}) VALUES ${values} ON CONFLICT DO NOTHING`,
      )
      statements.set(id, statement)
    }
    return statement
  }
  return client.transaction((inserts: readonly SqliteInsert[], after?: SqliteAfterInsert) => {
    let last = 0
    for (const insert of inserts) {
      last = 0
      const shape = shapeOf(insert.table)
      const perRun = Math.max(
        1,
        Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / shape.keys.length)),
      )
      for (let first = 0; first < insert.rows.length; first += perRun) {
        const rows = insert.rows.slice(first, first + perRun)
        const values: unknown[] = []
        for (const row of rows) for (const key of shape.keys) values.push(row[key] ?? null)
        last += statementFor(shape, rows.length).run(...(values as never[])).changes
      }
    }
    after?.(last)
    return last
  })
}
