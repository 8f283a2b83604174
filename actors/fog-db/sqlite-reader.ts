/**
 * Bulk reads from the SQLite fog database for the audit, bypassing drizzle's
 * row mapping (which builds each row twice: driver array, then keyed object):
 * one prepared `SELECT "sql_name" AS "key", …` per table and filter, whose
 * rows come back keyed by the drizzle column keys, as drizzle's `select()`
 * answers them. Boolean-mode integer columns are mapped to booleans as
 * drizzle does; every other column kind reads as its driver value already.
 */
import type { Database } from 'bun:sqlite'
import { getTableColumns, getTableName } from 'drizzle-orm'

// biome-ignore lint/suspicious/noExplicitAny: drizzle's SQLite tables have no common row type
type AnyTable = any

type Column = { name: string; columnType: string }

/**
 * Reads every row of a table whose columns (by key) equal the given values: every column, or
 * only the `columns` keys named (each string column read costs a string per row).
 */
export type SqliteReader = (
  table: AnyTable,
  where: Readonly<Record<string, string | undefined>>,
  columns?: readonly string[],
) => Record<string, unknown>[]

export function createSqliteReader(client: Database): SqliteReader {
  const statements = new Map<string, ReturnType<Database['prepare']>>()
  return (table, where, only) => {
    const all = getTableColumns(table) as Record<string, Column>
    const columns = only ? pick(all, only) : all
    const filters = Object.entries(where).filter(([, value]) => value !== undefined)
    const id = [getTableName(table), ...filters.map(([key]) => key), '|', ...(only ?? [])].join(
      '\u0000',
    )
    let statement = statements.get(id)
    if (!statement) {
      const select = Object.entries(columns)
        .map(([key, column]) => `"${column.name}" AS "${key}"`)
        .join(', ')
      const conditions = filters.map(([key]) => `"${(all[key] as Column).name}" = ?`)
      statement = client.prepare(
        `SELECT ${select} FROM "${getTableName(table)}"${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`,
      )
      statements.set(id, statement)
    }
    const rows = statement.all(...(filters.map(([, value]) => value) as never[])) as Record<
      string,
      unknown
    >[]
    const booleans = Object.entries(columns)
      .filter(([, column]) => column.columnType === 'SQLiteBoolean')
      .map(([key]) => key)
    if (booleans.length > 0) {
      for (const row of rows) {
        for (const key of booleans) if (row[key] !== null) row[key] = Boolean(row[key])
      }
    }
    return rows
  }
}

/** The named columns of a table; a name the table lacks is a programming error. */
function pick(all: Record<string, Column>, keys: readonly string[]): Record<string, Column> {
  return Object.fromEntries(
    keys.map((key) => {
      const column = all[key]
      if (!column) throw new TypeError(`no column ${key}`)
      return [key, column]
    }),
  )
}
