/**
 * The fog master database's record tables, declared once: each column's
 * kind, from which both dialect schemas (schema-sqlite.ts, schema-pg.ts) and
 * the ingest validation are built, so SQLite and PostgreSQL hold the same
 * columns and every value reads back exactly as the edge hashed it. Every
 * record table also has `host_id` (the producing edge host) and `id`, its
 * primary key together. See docs/fog-database.md for the ER diagram.
 */
import { z } from 'zod'

/** text; int (safe integer, ms timestamps; bigint in PostgreSQL); real (float64); bool; json (canonical JSON text). */
export type ColumnKind = 'text' | 'int' | 'real' | 'bool' | 'json'

export type ColumnSpec = { readonly kind: ColumnKind; readonly nullable?: boolean }

/** Column name (camelCase in records, snake_case in SQL) → spec, per record table. */
export const FOG_TABLES = {
  cameras: {
    zone: { kind: 'text' },
    label: { kind: 'text' },
    latitude: { kind: 'real', nullable: true },
    longitude: { kind: 'real', nullable: true },
    installedAtMs: { kind: 'int', nullable: true },
  },
  segments: {
    cameraId: { kind: 'text' },
    startMs: { kind: 'int' },
    endMs: { kind: 'int' },
    uri: { kind: 'text' },
    sha256: { kind: 'text' },
  },
  detections: {
    cameraId: { kind: 'text' },
    segmentId: { kind: 'text', nullable: true },
    tsMs: { kind: 'int' },
    label: { kind: 'text' },
    confidence: { kind: 'real' },
    bbox: { kind: 'json' },
  },
  tracks: {
    cameraId: { kind: 'text' },
    startMs: { kind: 'int' },
    endMs: { kind: 'int', nullable: true },
    label: { kind: 'text' },
  },
  track_features: {
    trackId: { kind: 'text' },
    tsMs: { kind: 'int' },
    model: { kind: 'text' },
    vector: { kind: 'json' },
  },
  alerts: {
    cameraId: { kind: 'text' },
    trackId: { kind: 'text', nullable: true },
    tsMs: { kind: 'int' },
    kind: { kind: 'text' },
    severity: { kind: 'text' },
    decision: { kind: 'text', nullable: true },
  },
  enf_fingerprints: {
    recordingId: { kind: 'text' },
    cameraId: { kind: 'text', nullable: true },
    capturedAtMs: { kind: 'int', nullable: true },
    fingerprintSha256: { kind: 'text' },
    ledgerKey: { kind: 'text' },
  },
} as const satisfies Record<string, Record<string, ColumnSpec>>

export type FogTable = keyof typeof FOG_TABLES

export const FOG_TABLE_NAMES = Object.keys(FOG_TABLES) as FogTable[]

/** Indexes the services' queries use: by camera and time, by track. */
export const FOG_INDEXES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  segments: [['cameraId', 'startMs']],
  detections: [['cameraId', 'tsMs'], ['segmentId']],
  tracks: [['cameraId', 'startMs']],
  track_features: [['trackId', 'tsMs']],
  alerts: [['cameraId', 'tsMs'], ['trackId']],
  enf_fingerprints: [['recordingId']],
}

/** snake_case of a camelCase column name. */
export function sqlName(column: string): string {
  return column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

function columnSchema(spec: ColumnSpec): z.ZodType {
  const base =
    spec.kind === 'text'
      ? z.string().max(4096)
      : spec.kind === 'int'
        ? z.number().int().refine(Number.isSafeInteger, 'a safe integer')
        : spec.kind === 'real'
          ? z.number().refine(Number.isFinite, 'a finite number')
          : spec.kind === 'bool'
            ? z.boolean()
            : z.json()
  return spec.nullable ? base.nullable() : base
}

/** Strict data schema per table: every column present (null where nullable), nothing else. */
export const FOG_DATA_SCHEMAS = Object.fromEntries(
  Object.entries(FOG_TABLES).map(([table, columns]) => [
    table,
    z.strictObject(
      Object.fromEntries(Object.entries(columns).map(([name, spec]) => [name, columnSchema(spec)])),
    ),
  ]),
) as unknown as Record<FogTable, z.ZodType<Record<string, unknown>>>

const COLUMN_LISTS = Object.fromEntries(
  Object.entries(FOG_TABLES).map(([table, columns]) => [table, Object.entries(columns)]),
) as unknown as Record<FogTable, [string, ColumnSpec][]>

function fitsColumn(spec: ColumnSpec, value: unknown): boolean {
  if (value === null) return spec.nullable === true
  switch (spec.kind) {
    case 'text':
      return typeof value === 'string' && value.length <= 4096
    case 'int':
      return Number.isSafeInteger(value)
    case 'real':
      return typeof value === 'number' && Number.isFinite(value)
    case 'bool':
      return typeof value === 'boolean'
    case 'json':
      // Whether it is plain JSON, the record hash's RFC 8785 encoding decides (it refuses others).
      return value !== undefined
  }
}

/**
 * The name of the first column of `data` that does not fit `table` (missing, extra, wrong
 * kind), or null when every column fits: what FOG_DATA_SCHEMAS checks, ~10× faster, for ingest.
 */
export function misfitColumn(table: FogTable, data: Record<string, unknown>): string | null {
  const columns = COLUMN_LISTS[table]
  for (const [name, spec] of columns) {
    if (!fitsColumn(spec, data[name])) return name
  }
  let count = 0
  for (const name in data) {
    count++
    if (!Object.hasOwn(FOG_TABLES[table], name)) return name
  }
  return count === columns.length ? null : '(columns)'
}
