/**
 * A minimal RFC 6962 Merkle tree (SHA-256, leaf prefix 0x00, node prefix 0x01) for tests of the
 * Anchor contract's on-chain verifier and the anchoring job, until the CometBFT ledger's
 * ledger/merkle/ module is merged; then tests use that one and this file can go.
 */
import { createHash } from 'node:crypto'

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** SHA-256(0x00 ‖ data): the leaf hash. */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0), data)
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(1), left, right)
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

function rootOf(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256()
  if (leaves.length === 1) return leaves[0] as Uint8Array
  const k = largestPowerOfTwoBelow(leaves.length)
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)))
}

function pathOf(index: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return []
  const k = largestPowerOfTwoBelow(leaves.length)
  if (index < k) return [...pathOf(index, leaves.slice(0, k)), rootOf(leaves.slice(k))]
  return [...pathOf(index - k, leaves.slice(k)), rootOf(leaves.slice(0, k))]
}

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
  const leaves = records.map(leafHash)
  return {
    root: toHex(rootOf(leaves)),
    size: leaves.length,
    leafHashes: leaves.map(toHex),
    auditPath: (index) => pathOf(index, leaves).map(toHex),
  }
}
