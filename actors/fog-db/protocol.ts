/**
 * The fog database actor's messages: `fogdb.ingest` (a verified batch from
 * an edge host), `fogdb.query` (by camera and time, by track, alerts),
 * `fogdb.audit` (where `integrity.audit` runs, beside the rows),
 * with their schemas, and the actor's init arguments.
 */
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { compactReceiptsSchema, receiptSchema } from '../../ledger/index.ts'
import {
  auditReportSchema,
  integrityReceiptSchema,
  integrityRecordSchema,
  MAX_RECORDS_JSON_CHARS,
  ONE_RECORDS_FORM,
  oneRecordsForm,
  signedBatchSchema,
} from '../integrity/index.ts'
import { FOG_TABLE_NAMES } from './fog-tables.ts'

/** Init arguments of the fog-db actor (plain data). */
export const fogDbArgs = z.object({
  databaseUrl: z
    .string()
    .optional()
    .describe('PostgreSQL URL (config database.url); absent: embedded SQLite at databaseFile'),
  databaseFile: z
    .string()
    .default('.data/fog.sqlite')
    .describe('SQLite file; default .data/fog.sqlite'),
  identityActor: z.string().default('identity').describe('Actor answering identity.host_of_key'),
  ledgerActor: z.string().default('ledger').describe('Name of the ledger actor'),
  verifiers: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'fog-verifier replicas: the only actors whose fogdb.store_verified is accepted, and the audit is shared with them (by host); default none',
    ),
  hostId: z
    .string()
    .optional()
    .describe(
      'This host’s id: when set, fogdb.store_verified is accepted only from its own actors',
    ),
  auditShares: z
    .number()
    .int()
    .min(1)
    .default(() => availableParallelism())
    .describe(
      'Most workers one audit runs on (this one and verifiers): more CPU-bound shares than cores only contend; default the cores available',
    ),
})

export type FogDbArgs = z.input<typeof fogDbArgs>

const table = z.enum(FOG_TABLE_NAMES as [string, ...string[]])
const storedRow = z.object({
  table: z.string(),
  hostId: z.string(),
  id: z.string(),
  data: z.record(z.string(), z.unknown()),
})

/** Most records in one ingested batch. */
export const MAX_INGEST_RECORDS = 20_000

const ingestPayload = z
  .object({
    batch: signedBatchSchema,
    records: z.array(integrityRecordSchema).min(1).max(MAX_INGEST_RECORDS).optional(),
    recordsJson: z
      .string()
      .min(2)
      .max(MAX_RECORDS_JSON_CHARS)
      .optional()
      .describe('The records as one JSON array text instead of `records`, in recorded order'),
    proof: compactReceiptsSchema.describe(
      'integrity.record’s compact proof of the call’s ledger entry (one batch, one leaf)',
    ),
    callRoot: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .describe(
        'integrity.record’s callRoot: the ledger confirms the call while its records are checked (recomputed and compared)',
      ),
  })
  .refine(oneRecordsForm, ONE_RECORDS_FORM)

const hexHashes = z.string().regex(/^(?:[0-9a-f]{64})+$/)

/** What a verifier replica hands the store: the call as delivered and its verdict. */
const storeVerifiedPayload = z.object({
  batch: signedBatchSchema,
  recordsJson: z.string().min(2).max(MAX_RECORDS_JSON_CHARS),
  proof: compactReceiptsSchema,
  hashes: hexHashes.describe('Each record’s recomputed hash, 64 hex characters a record, in order'),
  callRoot: z.string().regex(/^[0-9a-f]{64}$/),
  leaves: hexHashes.describe('The call tree’s leaves, in order'),
  batchId: z.string().min(1),
})

/** `fogdb.ingest`: verify a batch from an edge host and store it (fog-db or a fog-verifier). */
export const ingestMessage = {
  payload: ingestPayload,
  reply: z.object({ stored: z.number().int(), records: z.number().int() }),
  errors: ['FOG_BATCH_REFUSED', 'FOG_RECORD_CONFLICT', 'FOG_DATABASE'],
  idempotent: true,
  access: { resource: '/fog/records', action: 'write' },
  description:
    'Verify a batch from an edge host (registered signer, signature, receipts, ledger) and store it whole, or refuse it whole.',
} as const

/** `fogdb.audit_part`: audit the rows of some hosts (a fog-verifier's share of fogdb.audit). */
export const auditPartMessage = {
  payload: z.object({
    tables: z.array(table).optional(),
    hostIds: z.array(z.string()).describe('Audit the rows of these hosts only'),
  }),
  reply: auditReportSchema.extend({
    assumed: z
      .array(receiptSchema)
      .describe(
        'The ledger batches this share took as confirmed: the report holds only once the fog-db has confirmed each',
      ),
  }),
  errors: ['FOG_DATABASE'],
  idempotent: true,
  access: { resource: '/fog/audit', action: 'admin' },
  description:
    'Re-check the stored rows of some hosts (a share of fogdb.audit, run beside it); the fog-db confirms the ledger batches it assumed.',
} as const

/** Messages of the `fog-db` actor. */
export const fogDbProtocol = {
  'fogdb.ingest': ingestMessage,
  'fogdb.store_verified': {
    payload: storeVerifiedPayload,
    reply: z.object({ stored: z.number().int(), records: z.number().int() }),
    errors: ['FOG_CALLER_REFUSED', 'FOG_BATCH_REFUSED', 'FOG_RECORD_CONFLICT', 'FOG_DATABASE'],
    idempotent: true,
    access: { resource: '/fog/records', action: 'admin' },
    description:
      'Store a batch a fog-verifier replica (args.verifiers) verified, in one transaction; refused from any other caller.',
  },
  'fogdb.query': {
    payload: z.object({
      table,
      hostId: z.string().optional(),
      cameraId: z.string().optional(),
      trackId: z.string().optional(),
      fromMs: z.number().int().optional(),
      toMs: z.number().int().optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
    }),
    reply: z.object({ rows: z.array(storedRow) }),
    errors: ['FOG_DATABASE'],
    idempotent: true,
    access: { resource: '/fog/records', action: 'read' },
    description: 'Rows of one table by camera and time range, by track, or by host.',
  },
  'fogdb.export': {
    payload: z.object({
      after: z
        .object({ ingestedAtMs: z.number().int(), digest: z.string() })
        .optional()
        .describe('Cursor from the previous page; absent: from the oldest call'),
      limit: z.number().int().min(1).max(64).default(8).describe('Most calls; default 8'),
    }),
    reply: z.object({
      calls: z.array(ingestPayload),
      next: z.object({ ingestedAtMs: z.number().int(), digest: z.string() }).optional(),
    }),
    errors: ['FOG_DATABASE'],
    idempotent: true,
    access: { resource: '/fog/records', action: 'read' },
    description:
      'Stored calls as the edge delivered them (signed batch, records, compact receipts), oldest first: what another fog site imports.',
  },
  'fogdb.sync': {
    payload: z.object({
      peer: z.string().min(1).describe('The other fog site’s fog-db actor'),
    }),
    reply: z.object({
      calls: z.number().int().describe('Calls the peer offered'),
      stored: z.number().int().describe('Rows new here'),
      refused: z.array(
        z.object({ digest: z.string(), hostId: z.string(), part: z.string(), reason: z.string() }),
      ),
    }),
    errors: ['FOG_DATABASE', 'INTEGRITY_DEPENDENCY_UNAVAILABLE'],
    access: { resource: '/fog/records', action: 'write' },
    description:
      'Imports the peer fog site’s calls, each verified as an edge batch (registered signer, signature, receipts on the shared ledger); altered ones are refused and listed.',
  },
  'fogdb.receipt': {
    payload: z.object({ table: z.string(), hostId: z.string(), id: z.string() }),
    reply: z.object({ receipt: integrityReceiptSchema.nullable() }),
    errors: ['FOG_DATABASE'],
    idempotent: true,
    access: { resource: '/fog/records', action: 'read' },
    description:
      'The stored two-level receipt of one record (leaf → call root → ledger batch), or null: what integrity.verify checks when given no receipt.',
  },
  'fogdb.audit': {
    payload: z.object({ tables: z.array(table).optional(), hostId: z.string().optional() }),
    reply: auditReportSchema,
    errors: ['FOG_DATABASE', 'INTEGRITY_DEPENDENCY_UNAVAILABLE'],
    idempotent: true,
    access: { resource: '/fog/audit', action: 'admin' },
    description:
      'Re-verify every stored row in scope against its receipt and the ledger (integrity.audit runs here); keeps the run in audit_runs.',
  },
} as const
