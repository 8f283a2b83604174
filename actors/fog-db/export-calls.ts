/**
 * What one fog site hands another (`fogdb.export`): its stored calls, each as
 * the edge delivered it — the signed batch, the records in signed order, the
 * compact proof of its ledger entry — rebuilt from integrity_batches, the
 * record tables, integrity_receipts and integrity_proofs; and one record's
 * two-level receipt (`receiptOf`, for integrity.verify without a receipt). The other site ingests them with the
 * full verification (registered signer, signature, proof, the shared ledger),
 * so a record altered or deleted here is refused there.
 */
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm'
import { type CompactBatch, MerkleTree } from '../../ledger/index.ts'
import { callEntryReceipt, type IntegrityReceipt, leavesFromHex } from '../integrity/index.ts'
import type { AnyDb, Schema } from './fog-store.ts'
import type { FogTable } from './fog-tables.ts'
import type { IngestParameters } from './ingest-batch.ts'
import {
  fromProofRow,
  fromReceiptRow,
  fromRecordRow,
  type ProofRow,
  type ReceiptRow,
} from './row-codec.ts'

/** Where an export continues: after this ingest time and digest. */
export type ExportCursor = { readonly ingestedAtMs: number; readonly digest: string }

export type ExportedCalls = {
  readonly calls: IngestParameters[]
  /** Pass back to continue; absent when nothing was left. */
  readonly next?: ExportCursor | undefined
}

type BatchRow = {
  digest: string
  callRoot: string
  hostId: string
  hostPublicKey: string
  signature: string
  ingestedAtMs: number
}

/** Up to `limit` stored calls after `after`, oldest first. */
export async function exportCalls(
  db: AnyDb,
  schema: Schema,
  after: ExportCursor | undefined,
  limit: number,
): Promise<ExportedCalls> {
  const b = schema.batches
  const batches: BatchRow[] = await db
    .select()
    .from(b)
    .where(
      after
        ? or(
            gt(b.ingestedAtMs, after.ingestedAtMs),
            and(eq(b.ingestedAtMs, after.ingestedAtMs), gt(b.digest, after.digest)),
          )
        : undefined,
    )
    .orderBy(asc(b.ingestedAtMs), asc(b.digest))
    .limit(limit)
  const calls: IngestParameters[] = []
  for (const batch of batches) calls.push(await exportCall(db, schema, batch))
  const last = batches[batches.length - 1]
  // No `next` key at all on the last page (msgpack would turn undefined into null).
  return last
    ? { calls, next: { ingestedAtMs: Number(last.ingestedAtMs), digest: last.digest } }
    : { calls }
}

async function exportCall(db: AnyDb, schema: Schema, batch: BatchRow): Promise<IngestParameters> {
  const r = schema.receipts
  const receiptRows: ReceiptRow[] = await db
    .select()
    .from(r)
    .where(eq(r.batchDigest, batch.digest))
    .orderBy(asc(r.position))
  const receipts = receiptRows.map(fromReceiptRow)
  const [proofRow]: ProofRow[] = await db
    .select()
    .from(schema.proofs)
    .where(eq(schema.proofs.batchDigest, batch.digest))
  const proof = proofRow ? fromProofRow(proofRow) : undefined
  // Rows still present, by table; a row deleted here is left out (the other site then refuses).
  const data = new Map<string, Record<string, unknown>>()
  const tables = new Set(receipts.map((receipt) => receipt.table as FogTable))
  for (const table of tables) {
    const t = schema.records[table]
    const ids = receipts.filter((receipt) => receipt.table === table).map((receipt) => receipt.id)
    const rows: Record<string, unknown>[] = await db
      .select()
      .from(t)
      .where(and(eq(t.hostId, batch.hostId), inArray(t.id, ids)))
    for (const row of rows) {
      const stored = fromRecordRow(table, row)
      data.set(`${table}/${stored.id}`, stored.data)
    }
  }
  const records: IngestParameters['records'][number][] = []
  for (const receipt of receipts) {
    const row = data.get(`${receipt.table}/${receipt.id}`)
    if (row) records.push({ table: receipt.table, id: receipt.id, data: row })
  }
  return {
    batch: {
      hostId: batch.hostId,
      hostPublicKey: batch.hostPublicKey,
      digest: batch.digest,
      signature: batch.signature,
    },
    records,
    ...(batch.callRoot ? { callRoot: batch.callRoot } : {}),
    proof: {
      batches: [proof?.batch ?? missingProof(receipts[0]?.batchId ?? '0'.repeat(64))],
      batchOf: [0],
      leafIndex: [proof?.leafIndex ?? 0],
    },
  }
}

/**
 * One stored record's two-level receipt: its place in its call (integrity_receipts), the call's
 * leaves (integrity_batches) for the path to the call root, and the ledger proof of the call's
 * entry (integrity_proofs). Null when the record, its call or its proof is not stored; the
 * caller verifies what it gets (a damaged store gives a receipt that fails, never a pass).
 */
export async function receiptOf(
  db: AnyDb,
  schema: Schema,
  hostId: string,
  table: string,
  id: string,
): Promise<IntegrityReceipt | null> {
  const r = schema.receipts
  const [receipt]: ReceiptRow[] = await db
    .select()
    .from(r)
    .where(and(eq(r.tableName, table), eq(r.hostId, hostId), eq(r.recordId, id)))
  if (!receipt) return null
  const b = schema.batches
  const [call]: { callRoot: string; leaves: string }[] = await db
    .select({ callRoot: b.callRoot, leaves: b.leaves })
    .from(b)
    .where(eq(b.digest, receipt.batchDigest))
  const [proofRow]: ProofRow[] = await db
    .select()
    .from(schema.proofs)
    .where(eq(schema.proofs.batchDigest, receipt.batchDigest))
  const leaves = call ? leavesFromHex(call.leaves) : null
  const index = Number(receipt.leafIndex)
  if (!call || !proofRow || !leaves || index < 0 || index >= leaves.length) return null
  const proof = fromProofRow(proofRow)
  const ledger = callEntryReceipt(hostId, call.callRoot, proof.batch, proof.leafIndex)
  if (!ledger) return null
  return {
    recordHash: receipt.recordHash,
    call: {
      root: call.callRoot,
      index,
      size: leaves.length,
      path: new MerkleTree(leaves).auditPathHex(index),
    },
    ledger,
  }
}

/** A proof row gone: an empty one, which fails the other site's rebuild. */
function missingProof(batchId: string): CompactBatch {
  return {
    batchId,
    batchRoot: '0'.repeat(64),
    chainId: '',
    height: 1,
    txHash: '0'.repeat(64).toUpperCase(),
    treeSize: 1,
    at: [],
    nodes: [],
  }
}
