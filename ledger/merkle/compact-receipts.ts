/**
 * Many receipts of one call in one compact proof: per Merkle batch its header
 * (root, batch id, chain, height, tx, tree size) and only the tree nodes the
 * call's own leaves cannot rebuild (a multiproof), per record its batch and
 * leaf index. 4,000 full receipts are 5.5 MB of msgpack (each repeats the
 * header and carries ~12 path hashes); their compact form is ~100 kB and is
 * checked in one bottom-up pass per batch (about one hash per leaf instead of
 * log n). The records themselves travel beside it: their leaves are recomputed.
 *
 * Node positions are (level, index) in the bottom-up tree of merkle-tree.ts:
 * level 0 holds the leaves, a last odd node is carried up unchanged, so the
 * audit path of leaf i holds node (d, (i >> d) ^ 1) at each level d where that
 * node exists. {@link expandCompactReceipts} rebuilds the full receipts.
 */
import { toHex } from '../encoding/hex.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { recordLeafHash } from './record-leaf.ts'
import { hashNode } from './rfc6962-hash.ts'

/** A Merkle batch's header and the nodes of its tree outside the call's leaves. */
export type CompactBatch = {
  readonly batchRoot: string
  readonly batchId: string
  readonly chainId: string
  readonly height: number
  readonly txHash: string
  readonly treeSize: number
  /** Flat [level, index, level, index, …] of the nodes in `nodes`. */
  readonly at: number[]
  /** Hex hashes of the tree nodes the call's leaves cannot rebuild. */
  readonly nodes: string[]
}

/** The receipts of one call: batches, and per record (in order) its batch and leaf index. */
export type CompactReceipts = {
  readonly batches: CompactBatch[]
  readonly batchOf: number[]
  readonly leafIndex: number[]
}

/** Every node of one batch's tree the check computed or was given, by position. */
export type BatchNodes = {
  /** level → index → hash. */
  readonly levels: readonly Map<number, Uint8Array>[]
  readonly root: Uint8Array
}

const LEVEL = 2 ** 32
const position = (level: number, index: number) => level * LEVEL + index

/** Sizes of each level of a tree of `treeSize` leaves, leaves first, root last. */
function levelSizes(treeSize: number): number[] {
  const sizes = [treeSize]
  let size = treeSize
  while (size > 1) {
    size = Math.ceil(size / 2)
    sizes.push(size)
  }
  return sizes
}

/** Compacts full receipts (as a ledger client answers them, in record order). */
export function compactReceipts(receipts: readonly Receipt[]): CompactReceipts {
  const groups = new Map<string, { index: number; nodes: Map<number, string>; own: Receipt[] }>()
  const batchOf: number[] = []
  const leafIndex: number[] = []
  for (const receipt of receipts) {
    const id = `${receipt.batchId}|${receipt.height}`
    let group = groups.get(id)
    if (!group) {
      group = { index: groups.size, nodes: new Map(), own: [] }
      groups.set(id, group)
    }
    group.own.push(receipt)
    batchOf.push(group.index)
    leafIndex.push(receipt.leafIndex)
    const sizes = levelSizes(receipt.treeSize)
    let at = receipt.leafIndex
    let k = 0
    for (let level = 0; level < sizes.length - 1; level++) {
      const sibling = at ^ 1
      if (sibling < (sizes[level] as number)) {
        group.nodes.set(position(level, sibling), receipt.auditPath[k++] as string)
      }
      at >>= 1
    }
  }
  const batches = [...groups.values()].map(({ nodes, own }) => {
    const first = own[0] as Receipt
    const levels = levelSizes(first.treeSize).length
    for (const receipt of own) {
      // Ancestors of the call's own leaves are recomputed, not sent.
      for (let level = 0, at = receipt.leafIndex; level < levels; level++, at >>= 1) {
        nodes.delete(position(level, at))
      }
    }
    const at: number[] = []
    for (const key of nodes.keys()) at.push(Math.floor(key / LEVEL), key % LEVEL)
    return {
      batchRoot: first.batchRoot,
      batchId: first.batchId,
      chainId: first.chainId,
      height: first.height,
      txHash: first.txHash,
      treeSize: first.treeSize,
      at,
      nodes: [...nodes.values()],
    }
  })
  return { batches, batchOf, leafIndex }
}

/**
 * Rebuilds one batch's root from `leaves` (leaf index → leaf hash) and the batch's nodes,
 * bottom-up. Null when a needed node is missing, an index is out of range or given twice;
 * the caller compares the root with the batch's.
 */
export function rebuildBatch(
  batch: CompactBatch,
  leaves: readonly (readonly [number, Uint8Array])[],
): BatchNodes | null {
  const sizes = levelSizes(batch.treeSize)
  const given = new Map<number, string>()
  for (let k = 0; k < batch.nodes.length; k++) {
    given.set(
      position(batch.at[2 * k] as number, batch.at[2 * k + 1] as number),
      batch.nodes[k] as string,
    )
  }
  let current = new Map<number, Uint8Array>()
  for (const [index, leaf] of leaves) {
    if (!Number.isInteger(index) || index < 0 || index >= batch.treeSize || current.has(index))
      return null
    current.set(index, leaf)
  }
  const levels = [current]
  const node = (level: number, index: number, known: Map<number, Uint8Array>) => {
    const own = known.get(index)
    if (own) return own
    const hex = given.get(position(level, index))
    if (!hex || !/^[0-9a-f]{64}$/.test(hex)) return null
    const bytes = new Uint8Array(Buffer.from(hex, 'hex'))
    known.set(index, bytes)
    return bytes
  }
  for (let level = 0; level < sizes.length - 1; level++) {
    const size = sizes[level] as number
    const next = new Map<number, Uint8Array>()
    for (const index of [...current.keys()]) {
      const parent = index >> 1
      if (next.has(parent)) continue
      const left = index & ~1
      if (left + 1 >= size) {
        next.set(parent, current.get(left) as Uint8Array)
        continue
      }
      const l = node(level, left, current)
      const r = node(level, left + 1, current)
      if (!l || !r) return null
      next.set(parent, hashNode(l, r))
    }
    levels.push(next)
    current = next
  }
  const root = current.get(0)
  return root ? { levels, root } : null
}

/** The full receipt of each record from the compact form (the nodes of `rebuilt` per batch). */
export function expandCompactReceipts(
  records: readonly LedgerRecord[],
  compact: CompactReceipts,
  rebuilt: readonly BatchNodes[],
): Receipt[] {
  const hexCache = new Map<Uint8Array, string>()
  const hex = (bytes: Uint8Array) => {
    let text = hexCache.get(bytes)
    if (text === undefined) {
      text = toHex(bytes)
      hexCache.set(bytes, text)
    }
    return text
  }
  return records.map((record, i) => {
    const b = compact.batchOf[i] as number
    const batch = compact.batches[b] as CompactBatch
    const { levels } = rebuilt[b] as BatchNodes
    const leafIndex = compact.leafIndex[i] as number
    const sizes = levelSizes(batch.treeSize)
    const auditPath: string[] = []
    let at = leafIndex
    for (let level = 0; level < sizes.length - 1; level++) {
      const sibling = at ^ 1
      if (sibling < (sizes[level] as number)) {
        auditPath.push(hex((levels[level] as Map<number, Uint8Array>).get(sibling) as Uint8Array))
      }
      at >>= 1
    }
    return {
      record,
      leafHash: hex((levels[0] as Map<number, Uint8Array>).get(leafIndex) as Uint8Array),
      leafIndex,
      treeSize: batch.treeSize,
      auditPath,
      batchRoot: batch.batchRoot,
      batchId: batch.batchId,
      chainId: batch.chainId,
      height: batch.height,
      txHash: batch.txHash,
    }
  })
}

/** The leaves of each batch, from the records and the compact placement. */
export function batchLeaves(
  records: readonly LedgerRecord[],
  compact: CompactReceipts,
): [number, Uint8Array][][] {
  const leaves: [number, Uint8Array][][] = compact.batches.map(() => [])
  records.forEach((record, i) => {
    leaves[compact.batchOf[i] as number]?.push([
      compact.leafIndex[i] as number,
      recordLeafHash(record),
    ])
  })
  return leaves
}
