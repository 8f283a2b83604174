/**
 * An in-memory {@link IntraDomainLedger} for unit tests of logic that uses the
 * ledger (write-once keys, one-record batches with real RFC 6962 leaf hashes).
 * Integration tests use the CometBFT ledger instead.
 */
import { createHash } from 'node:crypto'
import type { IntraDomainLedger, LedgerRecord, Receipt } from '../../../ledger/protocol.ts'

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
      height++
      const leaf = Buffer.concat([Buffer.from([0]), Buffer.from(JSON.stringify(record))])
      const leafHash = createHash('sha256').update(leaf).digest('hex')
      const receipt: Receipt = {
        record,
        leafHash,
        leafIndex: 0,
        treeSize: 1,
        auditPath: [],
        batchRoot: leafHash,
        batchId: `batch-${height}`,
        chainId: 'memory',
        height,
        txHash: createHash('sha256').update(leafHash).digest('hex'),
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
