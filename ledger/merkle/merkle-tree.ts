/**
 * An RFC 6962 Merkle tree over leaf hashes: its root and the audit path of
 * every leaf (RFC 6962 §2.1, §2.1.1). The tree shape is fixed by its size: the
 * left subtree holds the largest power of two smaller than n leaves, and a last
 * odd node is carried up unchanged, never duplicated (Bitcoin's duplication
 * allows mutated trees, CVE-2012-2459).
 *
 * Built bottom-up, level by level, which yields the same tree as the RFC's
 * recursive definition (the tests check both against each other).
 */
import { toHex } from '../encoding/hex.ts'
import { EMPTY_ROOT, hashNode } from './rfc6962-hash.ts'

/** A built tree: every level from leaves (level 0) up to the root. */
export class MerkleTree {
  readonly #levels: Uint8Array[][]
  /** Every node's hash as hex, level by level, built on first use. */
  #hexLevels: string[][] | null = null

  /** Builds the tree over `leafHashes` (already hashed with {@link hashLeaf}). */
  constructor(leafHashes: readonly Uint8Array[]) {
    const levels: Uint8Array[][] = [[...leafHashes]]
    let level = levels[0] as Uint8Array[]
    while (level.length > 1) {
      const next: Uint8Array[] = []
      for (let i = 0; i + 1 < level.length; i += 2) {
        next.push(hashNode(level[i] as Uint8Array, level[i + 1] as Uint8Array))
      }
      // An odd last node moves up unchanged (no duplication).
      if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array)
      levels.push(next)
      level = next
    }
    this.#levels = levels
  }

  /** Number of leaves. */
  get size(): number {
    return (this.#levels[0] as Uint8Array[]).length
  }

  /** The Merkle tree hash MTH(D[n]); SHA-256() for the empty tree. */
  get root(): Uint8Array {
    if (this.size === 0) return EMPTY_ROOT
    return (this.#levels[this.#levels.length - 1] as Uint8Array[])[0] as Uint8Array
  }

  /** Leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    this.#checkIndex(index)
    return (this.#levels[0] as Uint8Array[])[index] as Uint8Array
  }

  /** The audit path PATH(index, D[n]): sibling hashes ordered from the leaf up to the root. */
  auditPath(index: number): Uint8Array[] {
    this.#checkIndex(index)
    const path: Uint8Array[] = []
    let position = index
    for (let depth = 0; depth < this.#levels.length - 1; depth++) {
      const level = this.#levels[depth] as Uint8Array[]
      const sibling = position ^ 1
      // A carried-up last node has no sibling at this level.
      if (sibling < level.length) path.push(level[sibling] as Uint8Array)
      position >>= 1
    }
    return path
  }

  /** {@link leaf} as lowercase hex, from the same per-tree hex cache as {@link auditPathHex}. */
  leafHex(index: number): string {
    this.#checkIndex(index)
    return (this.#hexCache()[0] as string[])[index] as string
  }

  #hexCache(): string[][] {
    // One hex conversion per level, then one slice per node: converting each fresh hash on its
    // own cost ~4× more (each conversion materializes the hash's ArrayBuffer), and slicing per
    // receipt would repeat the top nodes' slices for every leaf.
    if (!this.#hexLevels) {
      this.#hexLevels = this.#levels.map((level) => {
        const hex = toHex(Buffer.concat(level))
        const nodes: string[] = new Array(level.length)
        for (let i = 0; i < level.length; i++) nodes[i] = hex.slice(i * 64, i * 64 + 64)
        return nodes
      })
    }
    return this.#hexLevels
  }

  /** {@link auditPath} as lowercase hex; node hex strings are computed once per tree (receipts for a whole batch). */
  auditPathHex(index: number): string[] {
    this.#checkIndex(index)
    const hexLevels = this.#hexCache()
    const path: string[] = []
    let position = index
    for (let depth = 0; depth < hexLevels.length - 1; depth++) {
      const level = hexLevels[depth] as string[]
      const sibling = position ^ 1
      if (sibling < level.length) path.push(level[sibling] as string)
      position >>= 1
    }
    return path
  }

  #checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} is outside a tree of ${this.size} leaves`)
    }
  }
}

/** The RFC 6962 root of `leafHashes`. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  return new MerkleTree(leafHashes).root
}
