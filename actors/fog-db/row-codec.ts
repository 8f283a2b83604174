/**
 * Records and receipts to SQL rows and back. The mapping is exact both ways
 * (json columns hold RFC 8785 text; integers and reals are JS numbers on
 * both dialects), so a row read back canonicalizes to the bytes the edge
 * hashed, which is what lets the audit tell an edited row from an intact one.
 */
import type { CompactBatch } from '../../ledger/index.ts'
import {
  canonicalJson,
  type StoredProof,
  type StoredReceipt,
  type StoredRow,
} from '../integrity/index.ts'
import { FOG_TABLES, type FogTable } from './fog-tables.ts'

/** A receipt as the integrity_receipts table holds it (camelCase keys of the drizzle table). */
export type ReceiptRow = {
  tableName: string
  hostId: string
  recordId: string
  recordHash: string
  batchDigest: string
  leafIndex: number
  batchId: string
  position: number
  ingestedAtMs: number
}

/** A proof as the integrity_proofs table holds it. */
export type ProofRow = {
  batchDigest: string
  batchId: string
  batchRoot: string
  chainId: string
  height: number
  txHash: string
  treeSize: number
  /** JSON of { at, nodes } (compact-receipts.ts). */
  nodes: string
  /** The call entry's leaf index in the ledger batch. */
  leafIndex: number
}

const jsonColumns = Object.fromEntries(
  Object.entries(FOG_TABLES).map(([table, columns]) => [
    table,
    Object.entries(columns)
      .filter(([, spec]) => spec.kind === 'json')
      .map(([name]) => name),
  ]),
) as Record<FogTable, string[]>

/** A record as the values of its table's row. */
export function toRecordRow(table: FogTable, row: StoredRow): Record<string, unknown> {
  const values: Record<string, unknown> = { ...row.data, hostId: row.hostId, id: row.id }
  for (const name of jsonColumns[table]) {
    const value = row.data[name]
    values[name] = value === null || value === undefined ? null : canonicalJson(value)
  }
  return values
}

/** A table row as the record it holds. */
export function fromRecordRow(table: FogTable, values: Record<string, unknown>): StoredRow {
  const { hostId, id, ...data } = values
  for (const name of jsonColumns[table]) {
    const text = data[name]
    if (typeof text === 'string') {
      try {
        data[name] = JSON.parse(text)
      } catch {
        // An unparseable json column is itself tampering: keep the text, so the hash differs.
      }
    }
  }
  return { table, hostId: String(hostId), id: String(id), data }
}

export function toReceiptRow(receipt: StoredReceipt, nowMs: number, position: number): ReceiptRow {
  return {
    tableName: receipt.table,
    hostId: receipt.hostId,
    recordId: receipt.id,
    recordHash: receipt.recordHash,
    batchDigest: receipt.batchDigest,
    leafIndex: receipt.leafIndex,
    batchId: receipt.batchId,
    position,
    ingestedAtMs: nowMs,
  }
}

/** The columns of a receipt the audit reads (its table is the one it asked about). */
export const AUDITED_RECEIPT_COLUMNS = [
  'hostId',
  'recordId',
  'recordHash',
  'batchDigest',
  'leafIndex',
  'batchId',
] as const satisfies readonly (keyof ReceiptRow)[]

export type AuditedReceiptRow = Pick<ReceiptRow, (typeof AUDITED_RECEIPT_COLUMNS)[number]>

export function fromReceiptRow(row: ReceiptRow): StoredReceipt {
  return receiptOfRow(row.tableName, row)
}

/** A receipt of `table` from the columns the audit reads. */
export function receiptOfRow(table: string, row: AuditedReceiptRow): StoredReceipt {
  return {
    table,
    hostId: row.hostId,
    id: row.recordId,
    recordHash: row.recordHash,
    batchDigest: row.batchDigest,
    batchId: row.batchId,
    leafIndex: Number(row.leafIndex),
  }
}

export function toProofRow(proof: StoredProof): ProofRow {
  const { at, nodes, ...header } = proof.batch
  return {
    batchDigest: proof.batchDigest,
    ...header,
    nodes: JSON.stringify({ at, nodes }),
    leafIndex: proof.leafIndex,
  }
}

/** A stored proof; nodes that no longer parse read as none (the rebuild then fails: tampering). */
export function fromProofRow(row: ProofRow): StoredProof {
  let at: number[] = []
  let nodes: string[] = []
  try {
    const parsed = JSON.parse(row.nodes) as { at?: unknown; nodes?: unknown }
    if (Array.isArray(parsed.at) && Array.isArray(parsed.nodes)) {
      at = parsed.at.map(Number)
      nodes = parsed.nodes.map(String)
    }
  } catch {
    // keep none
  }
  const batch: CompactBatch = {
    batchId: row.batchId,
    batchRoot: row.batchRoot,
    chainId: row.chainId,
    height: Number(row.height),
    txHash: row.txHash,
    treeSize: Number(row.treeSize),
    at,
    nodes,
  }
  return { batchDigest: row.batchDigest, batch, leafIndex: Number(row.leafIndex) }
}
