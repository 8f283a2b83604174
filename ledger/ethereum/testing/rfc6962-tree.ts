/**
 * Test trees over raw byte strings, for tests of the Anchor contract's on-chain verifier and the
 * anchoring job: leaves are SHA-256(0x00 ‖ data) and the tree is ledger/merkle's RFC 6962
 * MerkleTree, so on-chain and off-chain proofs come from the same code the ledger uses.
 */
import { MerkleTree } from '../../merkle/merkle-tree.ts'
import { hashLeaf } from '../../merkle/rfc6962-hash.ts'

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

export type TestTree = {
  /** Root, lowercase hex without 0x. */
  readonly root: string
  readonly size: number
  /** Leaf hashes, hex. */
  readonly leafHashes: readonly string[]
  /** Audit path of leaf `index`, leaf to root, hex. */
  auditPath(index: number): string[]
}

/** Builds the tree over `records` (each hashed as a leaf). */
export function buildTestTree(records: readonly Uint8Array[]): TestTree {
  const tree = new MerkleTree(records.map(hashLeaf))
  return {
    root: toHex(tree.root),
    size: tree.size,
    leafHashes: records.map((_, i) => toHex(tree.leaf(i))),
    auditPath: (index) => tree.auditPath(index).map(toHex),
  }
}
