/**
 * What the integrity service protects: one record a service produced (a
 * detection, a track feature, an alert…), its canonical bytes, its hash, and
 * the ledger key its hash is committed under. The hash covers the table, the
 * record id, the producing host and every data column:
 *
 *   recordHash = SHA-256("vigil.integrity.record.v1\n" ‖ JCS({ table, id, hostId, data }))
 *
 * and is committed as a `feature_hash` ledger record under
 * `integrity:<hostId>/<table>/<id>` (the host's own ledger namespace), whose
 * data is the 32-byte hash. See docs/integrity.md.
 */
import { z } from 'zod'
import { canonicalJson } from './canonical-json.ts'

/** A record id: 1–128 of A–Z a–z 0–9 . _ : - */
export const recordIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, '1–128 of A–Z a–z 0–9 . _ : -')

/** A table name: lower-case snake case, 1–32 characters. */
export const tableNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case snake case')

/** A host id as in `host:<hostId>` principals. */
export const hostIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/)

/** A record as a service hands it in: which table, which row, every column (null for none). */
export const integrityRecordSchema = z.object({
  table: tableNameSchema,
  id: recordIdSchema,
  data: z.record(z.string(), z.unknown()).describe('Every column of the row but id, plain JSON'),
})

export type IntegrityRecord = z.infer<typeof integrityRecordSchema>

const RECORD_TAG = 'vigil.integrity.record.v1\n'

/** The RFC 8785 bytes that are hashed (after the domain tag). */
export function canonicalRecordText(record: IntegrityRecord, hostId: string): string {
  return canonicalJson({ table: record.table, id: record.id, hostId, data: record.data })
}

/** SHA-256 of the tagged canonical record, lowercase hex. */
export function recordHash(record: IntegrityRecord, hostId: string): string {
  return Bun.SHA256.hash(RECORD_TAG + canonicalRecordText(record, hostId), 'hex') as string
}

/** The ledger key of a record's hash, in its host's namespace. */
export function integrityLedgerKey(hostId: string, table: string, id: string): string {
  return `integrity:${hostId}/${table}/${id}`
}
