/**
 * Records as one JSON array text (`recordsJson` of `integrity.record` and
 * `fogdb.ingest`): the form in which a bulk producer hands many records
 * across actor hops. Between workers an array of 2,000 record objects costs
 * ~3 µs a record in schema validation, ~12 in msgpack (with
 * simulateSerialization) and ~10 in structured cloning at every hop; one
 * string costs almost nothing in each, and JSON.parse (~1 µs a record) gives
 * the records back. The receiving actor checks each record as the schema
 * would (table name, id, data a plain object), here by hand, so bad input is
 * still refused with the entry's index.
 */
import type { IntegrityRecord } from './integrity-record.ts'

/** The records of a JSON array text, or the first entry that is not a record. */
export type ParsedRecords =
  | { readonly ok: true; readonly records: IntegrityRecord[] }
  | { readonly ok: false; readonly index: number; readonly reason: string }

/** Most characters of a records text (20,000 records of ~3 kB). */
export const MAX_RECORDS_JSON_CHARS = 64 * 1024 * 1024

// The patterns of recordIdSchema and tableNameSchema (integrity-record.ts).
const ID = /^[A-Za-z0-9._:-]{1,128}$/
const TABLE = /^[a-z][a-z0-9_]{0,31}$/

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Parses `text` as 1–`max` records `{ table, id, data }` (other members are dropped). */
export function parseRecordsJson(text: string, max: number): ParsedRecords {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { ok: false, index: -1, reason: 'recordsJson is not JSON text' }
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > max) {
    return { ok: false, index: -1, reason: `recordsJson must be an array of 1–${max} records` }
  }
  const records: IntegrityRecord[] = new Array(parsed.length)
  for (let i = 0; i < parsed.length; i++) {
    const entry: unknown = parsed[i]
    if (!isPlainObject(entry)) return { ok: false, index: i, reason: 'not an object' }
    const { table, id, data } = entry
    if (typeof table !== 'string' || !TABLE.test(table))
      return { ok: false, index: i, reason: 'table must be lower-case snake case, 1–32 characters' }
    if (typeof id !== 'string' || !ID.test(id))
      return { ok: false, index: i, reason: 'id must be 1–128 of A–Z a–z 0–9 . _ : -' }
    if (!isPlainObject(data))
      return { ok: false, index: i, reason: 'data must be an object of the row’s columns' }
    records[i] = { table, id, data }
  }
  return { ok: true, records }
}
