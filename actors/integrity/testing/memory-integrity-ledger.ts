/**
 * Test fixture: an {@link IntegrityLedger} in memory with real RFC 6962
 * batches (ledger/merkle), so receipts verify exactly as CometBFT ones do.
 * Each commitBatch is one batch of up to 2,048 records per height; keys are write-once.
 * `verify` checks what the CometBFT client's does (chain, batch row, leaf); `calls` counts the
 * reads, so tests can check that audits query per batch, not per row.
 */

import type { Receipt } from '../../../ledger/index.ts'
import { compactReceipts, MerkleTree, recordLeafHash } from '../../../ledger/index.ts'
import type { HashRecord, IntegrityLedger } from '../integrity-ledger.ts'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

export type MemoryIntegrityLedger = IntegrityLedger & {
  readonly calls: { get: number; verify: number; commit: number }
}

/** Most records per batch (the CometBFT client's default). */
const BATCH_SIZE = 2048

function commitOne(records: readonly HashRecord[], height: number): Receipt[] {
  const tree = new MerkleTree(records.map((record) => recordLeafHash(record)))
  const root = hex(tree.root)
  const txHash = hex(
    new Bun.CryptoHasher('sha256').update(`tx-${height}-${root}`).digest() as Uint8Array,
  ).toUpperCase()
  return records.map((record, leafIndex) => ({
    record: { ...record },
    leafHash: hex(tree.leaf(leafIndex)),
    leafIndex,
    treeSize: records.length,
    auditPath: tree.auditPath(leafIndex).map(hex),
    batchRoot: root,
    batchId: txHash.toLowerCase(),
    chainId: 'memory',
    height,
    txHash,
  }))
}

export type MemoryLedgerOptions = {
  /**
   * Entries of other writers committed in the same batch after each commit's own (so a call's
   * entry has an audit path to its batch root, as on a ledger shared by several hosts); default 0.
   */
  readonly neighbours?: number | undefined
}

/** A fresh in-memory ledger. */
export function createMemoryIntegrityLedger(
  options: MemoryLedgerOptions = {},
): MemoryIntegrityLedger {
  const neighbours = options.neighbours ?? 0
  const receipts = new Map<string, Receipt>()
  let height = 0
  const calls = { get: 0, verify: 0, commit: 0 }
  const verify = async (receipt: Receipt) => {
    calls.verify++
    const held = receipts.get(receipt.record.key)
    if (!held) return { valid: false, reason: 'no such record' }
    const same =
      held.batchRoot === receipt.batchRoot &&
      held.height === receipt.height &&
      held.txHash === receipt.txHash &&
      held.treeSize === receipt.treeSize &&
      held.batchId === receipt.batchId &&
      held.chainId === receipt.chainId &&
      held.leafHash === receipt.leafHash
    return same ? { valid: true } : { valid: false, reason: 'batch row differs' }
  }
  return {
    calls,
    async commitBatch(records: readonly HashRecord[]) {
      calls.commit++
      for (const record of records) {
        if (receipts.has(record.key)) throw new Error(`KEY_EXISTS ${record.key}`)
      }
      const full: Receipt[] = []
      // Batches of at most BATCH_SIZE records, one per height, as the CometBFT client packs them.
      for (let first = 0; first < records.length; first += BATCH_SIZE) {
        const own = records.slice(first, first + BATCH_SIZE)
        const others = Array.from({ length: neighbours }, (_, k) => ({
          kind: 'feature_hash' as const,
          key: `other:${height + 1}/${k}`,
          dataHex: '00'.repeat(32),
        }))
        full.push(...commitOne([...own, ...others], ++height).slice(0, own.length))
      }
      for (const receipt of full) receipts.set(receipt.record.key, receipt)
      return compactReceipts(full)
    },
    async get(key: string) {
      calls.get++
      return receipts.get(key) ?? null
    },
    verify,
    verifyMany: (many: readonly Receipt[]) => Promise.all(many.map(verify)),
  }
}
