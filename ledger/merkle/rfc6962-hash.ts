/**
 * The two hash functions of an RFC 6962 (and RFC 9162) Merkle tree:
 * `leaf = SHA-256(0x00 ‖ data)` and `node = SHA-256(0x01 ‖ left ‖ right)`.
 * The prefixes separate leaves from inner nodes, so no inner node can pass for
 * a leaf (second-preimage resistance). CometBFT's crypto/merkle uses the same
 * functions, so one verifier serves our batch proofs and its tx proofs.
 */
import { createHash } from 'node:crypto'

const LEAF_PREFIX = new Uint8Array([0x00])
const NODE_PREFIX = new Uint8Array([0x01])

/** SHA-256 of the concatenated parts. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data)
}

/** RFC 6962 inner node hash: SHA-256(0x01 ‖ left ‖ right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right)
}

/** The root of the empty tree, SHA-256 of nothing (RFC 6962 §2.1). */
export const EMPTY_ROOT: Uint8Array = sha256()
