/**
 * The integrity actor's messages — `integrity.record` (edge: hash, sign,
 * commit, answer receipts), `integrity.verify` (one record, naming the
 * failing part), `integrity.audit` (fog: every stored row in bulk) — with
 * their payload and reply schemas, and the actor's init arguments.
 */
import { z } from 'zod'
import { compactReceiptsSchema } from '../../ledger/index.ts'
import { integrityReceiptSchema } from './integrity-receipt.ts'
import { hostIdSchema, integrityRecordSchema, tableNameSchema } from './integrity-record.ts'
import { MAX_RECORDS_JSON_CHARS } from './records-json.ts'

/** Most records in one `integrity.record` call. */
export const MAX_RECORDS_PER_CALL = 20_000

/** A call's records: as objects, or as one JSON array text (records-json.ts), exactly one. */
export const recordsPayloadShape = {
  records: z.array(integrityRecordSchema).min(1).max(MAX_RECORDS_PER_CALL).optional(),
  recordsJson: z
    .string()
    .min(2)
    .max(MAX_RECORDS_JSON_CHARS)
    .optional()
    .describe(
      'The records as one JSON array text instead of `records` (one string crosses the actor hops; each record is checked on arrival)',
    ),
}

/** True when exactly one of `records` and `recordsJson` is given. */
export const oneRecordsForm = (payload: { records?: unknown; recordsJson?: unknown }): boolean =>
  (payload.records === undefined) !== (payload.recordsJson === undefined)

export const ONE_RECORDS_FORM = { message: 'give exactly one of records or recordsJson' }

/** Init arguments of an integrity actor (plain data). */
export const integrityArgs = z.object({
  hostId: hostIdSchema.describe(
    'This host’s id: records are keyed integrity:<hostId>/… on the ledger',
  ),
  signingKeyPath: z
    .string()
    .min(1)
    .optional()
    .describe('File of this host’s Ed25519 key (PKCS#8 PEM or JWK); required for integrity.record'),
  ledgerActor: z.string().default('ledger').describe('Name of the ledger actor; default "ledger"'),
  ethereumActor: z
    .string()
    .optional()
    .describe(
      'Name of the Ethereum ledger actor; when given, integrity.verify also checks anchored batch roots',
    ),
  forwardTo: z
    .string()
    .optional()
    .describe(
      'Fog-db actor each recorded call is forwarded to (fogdb.ingest) once committed; absent: the caller forwards',
    ),
  fogDbActor: z
    .string()
    .default('fog-db')
    .describe(
      'Name of the fog database actor integrity.audit reads and integrity.verify asks for stored receipts; default "fog-db"',
    ),
  keepReceipts: z
    .number()
    .int()
    .nonnegative()
    .default(100_000)
    .describe(
      'Receipts of the most recent records recorded here kept in memory for integrity.verify without a receipt; default 100,000',
    ),
  receiptPeer: z
    .string()
    .default('integrity-{hostId}')
    .describe(
      'Integrity actor asked for the receipt of another host’s record ({hostId} is replaced); default "integrity-{hostId}"',
    ),
})

export type IntegrityArgs = z.input<typeof integrityArgs>

/** The edge host's signature over one call's records (see batch-digest.ts). */
export const signedBatchSchema = z.object({
  hostId: hostIdSchema,
  hostPublicKey: z.string().describe('base64 of the raw 32-byte Ed25519 key'),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().regex(/^[0-9a-f]{128}$/),
})

const part = z.enum([
  'record',
  'call',
  'key',
  'leaf',
  'proof',
  'root',
  'height',
  'batch',
  'ledger',
  'chain',
  'anchor',
])
const rowRef = z.object({ table: z.string(), hostId: z.string(), id: z.string() })

/** What `integrity.audit` answers. */
export const auditReportSchema = z.object({
  checked: z.number().int(),
  intact: z.number().int(),
  tampered: z.array(rowRef.extend({ part, reason: z.string() })),
  missing: z.array(rowRef),
  unrecorded: z.array(rowRef),
  damagedProofs: z
    .array(z.object({ batchDigest: z.string(), batchId: z.string() }))
    .describe('Stored proofs that no longer rebuild although every row agrees with the ledger'),
  batchesConfirmed: z.number().int(),
  durationMs: z.number(),
  materialMs: z.number().describe('Of durationMs, reading rows and receipts from the fog database'),
})

const RECORDS = { resource: '/integrity/records', action: 'write' } as const
const READ = { resource: '/integrity/records', action: 'read' } as const
const AUDIT = { resource: '/integrity/audit', action: 'admin' } as const

/** Messages of the `integrity` actor. */
export const integrityProtocol = {
  'integrity.record': {
    payload: z.object(recordsPayloadShape).refine(oneRecordsForm, ONE_RECORDS_FORM),
    reply: z.object({
      proof: compactReceiptsSchema.describe(
        'The ledger receipt of the call’s one entry, compact: its batch header and outside tree nodes (receiptsOfCall expands it into one two-level receipt per record)',
      ),
      batch: signedBatchSchema,
      callRoot: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .describe(
          'Root of the call tree over the records’ leaves, committed under integrity:<hostId>/call/<callRoot>',
        ),
      forwarded: z
        .object({
          to: z.string(),
          stored: z.number().int().optional(),
          error: z.string().optional().describe('Error code when the fog did not take the call'),
        })
        .optional()
        .describe('With forwardTo: what the fog answered (the call is committed either way)'),
    }),
    errors: [
      'INTEGRITY_RECORD_INVALID',
      'INTEGRITY_BACKPRESSURE',
      'INTEGRITY_KEY',
      'INTEGRITY_DEPENDENCY_UNAVAILABLE',
      'ACCESS_NAMESPACE',
    ],
    access: RECORDS,
    description:
      'Hash each record (RFC 8785, SHA-256), sign the batch with the host key, commit the call tree’s root to the ledger as one entry; the call’s proof once committed.',
  },
  'integrity.verify': {
    payload: z.object({
      record: integrityRecordSchema,
      hostId: hostIdSchema.optional().describe('Host that produced the record; default this host'),
      receipt: integrityReceiptSchema
        .optional()
        .describe(
          'Two-level receipt to check; default a stored one (this actor, the host’s, the fog’s)',
        ),
    }),
    reply: z.object({
      valid: z.boolean(),
      recordHash: z.string(),
      key: z.string(),
      callKey: z.string().optional().describe('Ledger key of the record’s call entry'),
      part: part.optional(),
      reason: z.string().optional(),
      anchor: z
        .enum(['verified', 'not-anchored', 'unchecked'])
        .optional()
        .describe('The Ethereum anchor of the batch root, where an Ethereum actor is configured'),
      anchoredAtBlock: z.number().int().optional(),
    }),
    errors: ['INTEGRITY_RECORD_INVALID', 'INTEGRITY_DEPENDENCY_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description:
      'Recompute a record’s hash and check its receipt offline and against the ledger, naming the part that fails.',
  },
  'integrity.receipt': {
    payload: z.object({
      table: tableNameSchema,
      id: z.string(),
      hostId: hostIdSchema.optional().describe('Host that produced the record; default this host'),
    }),
    reply: z.object({ receipt: integrityReceiptSchema.nullable() }),
    errors: [],
    idempotent: true,
    access: READ,
    description:
      'The two-level receipt of a record this actor recorded (its private store), or null when it holds none.',
  },
  'integrity.audit': {
    payload: z.object({
      tables: z.array(tableNameSchema).optional().describe('Tables to audit; default all'),
      hostId: hostIdSchema.optional().describe('Only rows of this edge host'),
    }),
    reply: auditReportSchema,
    errors: ['INTEGRITY_DEPENDENCY_UNAVAILABLE'],
    idempotent: true,
    access: AUDIT,
    description:
      'Re-verify every stored row of the fog database against its receipt and the ledger; report tampered, missing and unrecorded rows.',
  },
} as const
