import { describe, expect, test } from 'bun:test'
import { toHex } from '../encoding/hex.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { MerkleTree } from './merkle-tree.ts'
import { recordLeafHash } from './record-leaf.ts'
import { verifyReceipt } from './verify-receipt.ts'

function receiptsFor(records: LedgerRecord[]): Receipt[] {
  const tree = new MerkleTree(records.map(recordLeafHash))
  return records.map((record, index) => ({
    record,
    leafHash: toHex(tree.leaf(index)),
    leafIndex: index,
    treeSize: records.length,
    auditPath: tree.auditPath(index).map(toHex),
    batchRoot: toHex(tree.root),
    batchId: 'ab'.repeat(32),
    chainId: 'test-chain',
    height: 5,
    txHash: 'AB'.repeat(32),
  }))
}

const records: LedgerRecord[] = Array.from({ length: 5 }, (_, i) => ({
  kind: 'enf_fingerprint',
  key: `enf/cam-${i}/2026-11-21T10:00:0${i}Z`,
  dataHex: `0a0b0c0${i}`,
}))

describe('verifyReceipt', () => {
  const receipts = receiptsFor(records)
  const receipt = receipts[3] as Receipt

  test('accepts every receipt of a batch', () => {
    for (const r of receipts) expect(verifyReceipt(r)).toEqual({ valid: true })
  })

  test('rejects a tampered record', () => {
    expect(
      verifyReceipt({ ...receipt, record: { ...receipt.record, dataHex: '0a0b0c04' } }).valid,
    ).toBe(false)
    expect(verifyReceipt({ ...receipt, record: { ...receipt.record, key: 'other' } }).valid).toBe(
      false,
    )
    expect(
      verifyReceipt({ ...receipt, record: { ...receipt.record, kind: 'feature_hash' } }).valid,
    ).toBe(false)
  })

  test('rejects a tampered proof', () => {
    const path = [...receipt.auditPath]
    path[0] = `${(path[0] as string).slice(0, 63)}${(path[0] as string).endsWith('0') ? '1' : '0'}`
    expect(verifyReceipt({ ...receipt, auditPath: path }).valid).toBe(false)
    expect(verifyReceipt({ ...receipt, leafIndex: 2 }).valid).toBe(false)
    expect(verifyReceipt({ ...receipt, treeSize: 4 }).valid).toBe(false)
    expect(verifyReceipt({ ...receipt, auditPath: receipt.auditPath.slice(1) }).valid).toBe(false)
  })

  test('rejects a tampered root or leaf hash', () => {
    expect(verifyReceipt({ ...receipt, batchRoot: 'cd'.repeat(32) })).toEqual({
      valid: false,
      reason: 'audit path does not lead from the leaf to batchRoot',
    })
    expect(verifyReceipt({ ...receipt, leafHash: receipts[2]?.leafHash as string }).valid).toBe(
      false,
    )
  })

  test('rejects malformed receipts without throwing', () => {
    expect(verifyReceipt({ ...receipt, batchRoot: 'zz' }).valid).toBe(false)
    expect(verifyReceipt({ ...receipt, auditPath: ['nothex'] }).valid).toBe(false)
    expect(verifyReceipt(null as unknown as Receipt).valid).toBe(false)
    expect(verifyReceipt({ ...receipt, record: { ...receipt.record, dataHex: 'XYZ' } }).valid).toBe(
      false,
    )
  })
})
