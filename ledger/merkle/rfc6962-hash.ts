/**
 * The two hash functions of an RFC 6962 (and RFC 9162) Merkle tree:
 * `leaf = SHA-256(0x00 ‖ data)` and `node = SHA-256(0x01 ‖ left ‖ right)`.
 * The prefixes separate leaves from inner nodes, so no inner node can pass for
 * a leaf (second-preimage resistance). CometBFT's crypto/merkle uses the same
 * functions, so one verifier serves our batch proofs and its tx proofs.
 * Bun's native SHA-256 is about 3× faster here than node:crypto's createHash.
 */
const LEAF_PREFIX = 0x00
const NODE_PREFIX = 0x01

/** SHA-256 of the concatenated parts. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return Bun.SHA256.hash(parts[0] as Uint8Array) as Uint8Array
  let length = 0
  for (const part of parts) length += part.length
  const joined = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    joined.set(part, offset)
    offset += part.length
  }
  return Bun.SHA256.hash(joined) as Uint8Array
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length)
  input[0] = LEAF_PREFIX
  input.set(data, 1)
  return Bun.SHA256.hash(input) as Uint8Array
}

/** Reused input of {@link hashNode} (single-threaded: no call can interleave). */
const nodeScratch = new Uint8Array(65)
nodeScratch[0] = NODE_PREFIX

/** RFC 6962 inner node hash: SHA-256(0x01 ‖ left ‖ right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === 32 && right.length === 32) {
    nodeScratch.set(left, 1)
    nodeScratch.set(right, 33)
    return Bun.SHA256.hash(nodeScratch) as Uint8Array
  }
  const input = new Uint8Array(1 + left.length + right.length)
  input[0] = NODE_PREFIX
  input.set(left, 1)
  input.set(right, 1 + left.length)
  return Bun.SHA256.hash(input) as Uint8Array
}

/** The root of the empty tree, SHA-256 of nothing (RFC 6962 §2.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0))
