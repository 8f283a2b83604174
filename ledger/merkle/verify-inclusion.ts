/**
 * Inclusion proof verification, the loop of RFC 9162 §2.1.3.2. Pure and
 * allocation-light; it accepts only when the path has exactly the length the
 * tree shape requires and recomputes `root`.
 */
import { hashNode } from './rfc6962-hash.ts'

/** What an inclusion proof states: `leafHash` sits at `leafIndex` of a tree of `treeSize` leaves whose root is `root`. */
export type InclusionProof = {
  readonly leafHash: Uint8Array
  readonly leafIndex: number
  readonly treeSize: number
  readonly auditPath: readonly Uint8Array[]
  readonly root: Uint8Array
}

/** True when the audit path proves the leaf's inclusion under the root (RFC 9162 §2.1.3.2). */
export function verifyInclusion(proof: InclusionProof): boolean {
  const { leafIndex, treeSize } = proof
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return false
  if (leafIndex < 0 || leafIndex >= treeSize) return false
  // Plain integer arithmetic, not 32-bit bit operations, so sizes above 2^31 work.
  let fn = leafIndex
  let sn = treeSize - 1
  let r = proof.leafHash
  for (const p of proof.auditPath) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = hashNode(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = hashNode(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(r, proof.root)
}

/** Constant-shape byte comparison. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
