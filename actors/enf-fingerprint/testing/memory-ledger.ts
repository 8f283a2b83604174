/**
 * An in-memory {@link IntraDomainLedger} for unit tests of logic that uses the
 * ledger (write-once keys, one-record batches with real RFC 6962 leaf hashes,
 * receipts that verify offline like the CometBFT ledger's).
 * Integration tests use the CometBFT ledger instead.
 */
import { createHash } from 'node:crypto'
import type { IntraDomainLedger, LedgerRecord, Receipt } from '../../../ledger/index.ts'
import { recordLeafHash } from '../../../ledger/index.ts'

export type MemoryLedger = IntraDomainLedger & {
  readonly records: ReadonlyMap<string, Receipt>
  /** Replaces a stored record's data (to test tamper detection). */
  tamper(key: string, dataHex: string): void
}

/** Creates an empty in-memory ledger. */
export function createMemoryLedger(): MemoryLedger {
  const records = new Map<string, Receipt>()
  let height = 0
  return {
    records,
    async commit(record: LedgerRecord) {
      if (records.has(record.key)) throw new Error(`key ${record.key} already written`)
      // The ledger's own leaf hash (throws RangeError on a malformed record), so receipts verify offline.
      const leafHash = Buffer.from(recordLeafHash(record)).toString('hex')
      height++
      const txHash = createHash('sha256').update(leafHash).digest('hex').toUpperCase()
      const receipt: Receipt = {
        record,
        leafHash,
        leafIndex: 0,
        treeSize: 1,
        auditPath: [],
        batchRoot: leafHash,
        batchId: txHash.toLowerCase(),
        chainId: 'memory',
        height,
        txHash,
      }
      records.set(record.key, receipt)
      return receipt
    },
    async get(key: string) {
      return records.get(key) ?? null
    },
    tamper(key, dataHex) {
      const receipt = records.get(key)
      if (!receipt) throw new Error(`no record ${key}`)
      records.set(key, { ...receipt, record: { ...receipt.record, dataHex } })
    },
  }
}
