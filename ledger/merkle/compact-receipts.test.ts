import { describe, expect, test } from 'bun:test'
import { toHex } from '../encoding/hex.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import {
  batchLeaves,
  type CompactReceipts,
  compactReceipts,
  expandCompactReceipts,
  rebuildBatch,
} from './compact-receipts.ts'
import { MerkleTree } from './merkle-tree.ts'
import { recordLeafHash } from './record-leaf.ts'

const recordsOf = (prefix: string, n: number): LedgerRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'feature_hash',
    key: `integrity:h/${prefix}/${i}`,
    dataHex: (i % 256).toString(16).padStart(2, '0').repeat(32),
  }))

/** Full receipts of `records` in one batch of `size` leaves (other callers' leaves around them). */
function receiptsIn(records: LedgerRecord[], size: number, offset: number, height: number) {
  const others = recordsOf(`other${height}`, size - records.length)
  const all = [...others.slice(0, offset), ...records, ...others.slice(offset)]
  const tree = new MerkleTree(all.map(recordLeafHash))
  const root = toHex(tree.root)
  return records.map(
    (record, i): Receipt => ({
      record,
      leafHash: toHex(tree.leaf(offset + i)),
      leafIndex: offset + i,
      treeSize: size,
      auditPath: tree.auditPath(offset + i).map(toHex),
      batchRoot: root,
      batchId: `${height}`.padStart(64, '0'),
      chainId: 'test',
      height,
      txHash: `${height}`.padStart(64, '0'),
    }),
  )
}

function rebuildAll(records: LedgerRecord[], compact: CompactReceipts) {
  const leaves = batchLeaves(records, compact)
  return compact.batches.map((batch, b) => rebuildBatch(batch, leaves[b] ?? []))
}

describe('compact receipts', () => {
  const cases = [
    [1, 1, 0],
    [5, 5, 0],
    [7, 13, 3],
    [100, 2048, 1000],
    [1000, 1001, 1],
    [3, 2047, 2044],
  ] as const
  test('expand back to exactly the full receipts, for own leaves anywhere in trees of any size', () => {
    for (const [own, size, offset] of cases) {
      const records = recordsOf(`c${own}-${size}`, own)
      const full = receiptsIn(records, size, offset, own + size)
      const compact = compactReceipts(full)
      const rebuilt = rebuildAll(records, compact)
      expect(rebuilt.every((nodes) => nodes && toHex(nodes.root) === full[0]?.batchRoot)).toBe(true)
      expect(expandCompactReceipts(records, compact, rebuilt as never)).toEqual(full)
    }
  })

  test('send only nodes outside the call: none when the call fills the batch', () => {
    const records = recordsOf('fill', 2000)
    const compact = compactReceipts(receiptsIn(records, 2000, 0, 9))
    expect(compact.batches[0]?.nodes.length).toBe(0)
    const part = recordsOf('part', 100)
    const partial = compactReceipts(receiptsIn(part, 2048, 1000, 10))
    expect(partial.batches[0]?.nodes.length).toBeLessThanOrEqual(2 * 11)
  })

  test('group receipts of several batches and keep the records’ order', () => {
    const a = recordsOf('a', 10)
    const b = recordsOf('b', 6)
    const full = [...receiptsIn(a, 12, 2, 20), ...receiptsIn(b, 6, 0, 21)]
    const compact = compactReceipts(full)
    expect(compact.batches.map((batch) => batch.height)).toEqual([20, 21])
    expect(compact.batchOf).toEqual([...a.map(() => 0), ...b.map(() => 1)])
    const records = [...a, ...b]
    expect(expandCompactReceipts(records, compact, rebuildAll(records, compact) as never)).toEqual(
      full,
    )
  })

  test('rebuild another root when a record, a node or a leaf index is altered, or fail', () => {
    const records = recordsOf('t', 50)
    const full = receiptsIn(records, 64, 7, 30)
    const compact = compactReceipts(full)
    const root = full[0]?.batchRoot
    const rootOf = (recs: LedgerRecord[], c: CompactReceipts) => {
      const nodes = rebuildAll(recs, c)[0]
      return nodes ? toHex(nodes.root) : null
    }
    expect(rootOf(records, compact)).toBe(root as string)
    const changed = records.map((r, i) => (i === 9 ? { ...r, dataHex: 'ff'.repeat(32) } : r))
    expect(rootOf(changed, compact)).not.toBe(root as string)
    const batch = compact.batches[0] as CompactReceipts['batches'][number]
    const flippedNode = {
      ...compact,
      batches: [
        { ...batch, nodes: [`0${(batch.nodes[0] as string).slice(1)}`, ...batch.nodes.slice(1)] },
      ],
    }
    if ((batch.nodes[0] as string)[0] !== '0')
      expect(rootOf(records, flippedNode)).not.toBe(root as string)
    const swapped = {
      ...compact,
      leafIndex: compact.leafIndex.map((i, k) => (k === 0 ? i + 1 : k === 1 ? i - 1 : i)),
    }
    expect(rootOf(records, swapped)).not.toBe(root as string)
    const duplicate = {
      ...compact,
      leafIndex: compact.leafIndex.map((i, k) => (k === 1 ? (compact.leafIndex[0] as number) : i)),
    }
    expect(rootOf(records, duplicate)).toBeNull()
    const missing = {
      ...compact,
      batches: [{ ...batch, nodes: batch.nodes.slice(1), at: batch.at.slice(2) }],
    }
    expect(rootOf(records, missing)).toBeNull()
  })
})
