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

/** Reads every row of a table whose columns (by key) equal the given values. */
export type SqliteReader = (
  table: AnyTable,
  where: Readonly<Record<string, string | undefined>>,
) => Record<string, unknown>[]

export function createSqliteReader(client: Database): SqliteReader {
  const statements = new Map<string, ReturnType<Database['prepare']>>()
  return (table, where) => {
    const columns = getTableColumns(table) as Record<string, Column>
    const filters = Object.entries(where).filter(([, value]) => value !== undefined)
    const id = `${getTableName(table)}\u0000${filters.map(([key]) => key).join('\u0000')}`
    let statement = statements.get(id)
    if (!statement) {
      const select = Object.entries(columns)
        .map(([key, column]) => `"${column.name}" AS "${key}"`)
        .join(', ')
      const conditions = filters.map(([key]) => `"${(columns[key] as Column).name}" = ?`)
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
