/**
 * Records and receipts to SQL rows and back. The mapping is exact both ways
 * (json columns hold RFC 8785 text; integers and reals are JS numbers on
 * both dialects), so a row read back canonicalizes to the bytes the edge
 * hashed, which is what lets the audit tell an edited row from an intact one.
 */
import {
  canonicalJson,
  integrityLedgerKey,
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
  leafHash: string
  leafIndex: number
  treeSize: number
  auditPath: string
  batchRoot: string
  batchId: string
  chainId: string
  height: number
  txHash: string
  ingestedAtMs: number
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

export function toReceiptRow(
  receipt: StoredReceipt,
  batchDigest: string,
  nowMs: number,
): ReceiptRow {
  const l = receipt.ledger
  return {
    tableName: receipt.table,
    hostId: receipt.hostId,
    recordId: receipt.id,
    recordHash: receipt.recordHash,
    batchDigest,
    leafHash: l.leafHash,
    leafIndex: l.leafIndex,
    treeSize: l.treeSize,
    auditPath: JSON.stringify(l.auditPath),
    batchRoot: l.batchRoot,
    batchId: l.batchId,
    chainId: l.chainId,
    height: l.height,
    txHash: l.txHash,
    ingestedAtMs: nowMs,
  }
}

export function fromReceiptRow(row: ReceiptRow): StoredReceipt {
  let auditPath: string[] = []
  try {
    const parsed: unknown = JSON.parse(row.auditPath)
    if (Array.isArray(parsed)) auditPath = parsed.map(String)
  } catch {
    auditPath = [row.auditPath]
  }
  return {
    table: row.tableName,
    hostId: row.hostId,
    id: row.recordId,
    recordHash: row.recordHash,
    ledger: {
      record: {
        kind: 'feature_hash',
        key: integrityLedgerKey(row.hostId, row.tableName, row.recordId),
        dataHex: row.recordHash,
      },
      leafHash: row.leafHash,
      leafIndex: Number(row.leafIndex),
      treeSize: Number(row.treeSize),
      auditPath,
      batchRoot: row.batchRoot,
      batchId: row.batchId,
      chainId: row.chainId,
      height: Number(row.height),
      txHash: row.txHash,
    },
  }
}
