/**
 * zod schemas of the ledger's plain-data shapes ({@link LedgerRecord},
 * {@link Receipt}), for actor protocols and HTTP validation: the one receipt
 * schema the CometBFT ledger answers with and the Ethereum ledger and the
 * integrity service accept.
 */
import { z } from 'zod'
import type { CompactReceipts } from './merkle/compact-receipts.ts'
import { type LedgerRecord, RECORD_KINDS, type Receipt } from './protocol.ts'

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte lowercase hex hash')

export const ledgerRecordSchema = z.object({
  kind: z.enum(RECORD_KINDS),
  key: z.string().min(1).max(256).describe('Unique key; a key once written cannot be rewritten'),
  dataHex: z
    .string()
    .regex(/^(?:[0-9a-f]{2})*$/, 'lowercase even-length hex without 0x')
    .describe('Canonical record bytes as lowercase hex'),
}) satisfies z.ZodType<LedgerRecord>

export const receiptSchema = z.object({
  record: ledgerRecordSchema,
  leafHash: hash,
  leafIndex: z.number().int().nonnegative(),
  treeSize: z.number().int().positive(),
  auditPath: z.array(hash).readonly(),
  batchRoot: hash,
  batchId: hash,
  chainId: z.string(),
  height: z.number().int().positive(),
  txHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'a 32-byte hex tx hash (CometBFT writes it uppercase)'),
}) satisfies z.ZodType<Receipt>

export const receiptVerificationSchema = z.union([
  z.object({ valid: z.literal(true) }),
  z.object({ valid: z.literal(false), reason: z.string() }),
])

/** Many receipts in one (ledger/merkle/compact-receipts.ts): batch headers, outside nodes, placement. */
export const compactReceiptsSchema = z.object({
  batches: z.array(
    z.object({
      batchRoot: hash,
      batchId: hash,
      chainId: z.string(),
      height: z.number().int().positive(),
      txHash: z.string().regex(/^[0-9A-F]{64}$/, 'an uppercase hex tx hash'),
      treeSize: z.number().int().positive(),
      at: z.array(z.number().int().nonnegative()),
      nodes: z.array(hash),
    }),
  ),
  batchOf: z.array(z.number().int().nonnegative()),
  leafIndex: z.array(z.number().int().nonnegative()),
}) satisfies z.ZodType<CompactReceipts>
