/**
 * Checks CometBFT's `/tx?prove=true` proof that a transaction is in a block:
 * the block's data_hash is the RFC 6962 root over SHA-256(tx) of every tx
 * (crypto/merkle "follows RFC-6962"), so the same inclusion check as our
 * batch receipts applies, with leaf = SHA-256(0x00 ‖ SHA-256(tx)).
 */
import { hashLeaf, sha256 } from '../merkle/rfc6962-hash.ts'
import { bytesEqual, verifyInclusion } from '../merkle/verify-inclusion.ts'

/** The proof part of a CometBFT TxResponse (cosmjs `TxProof`). */
export type CometTxProof = {
  readonly data: Uint8Array
  readonly rootHash: Uint8Array
  readonly proof: {
    readonly total: number
    readonly index: number
    readonly leafHash: Uint8Array
    readonly aunts: readonly Uint8Array[]
  }
}

/** True when `proof` shows `tx` at its index under `dataHash` (the block header's data_hash). */
export function verifyTxProof(tx: Uint8Array, proof: CometTxProof, dataHash: Uint8Array): boolean {
  if (!bytesEqual(proof.data, tx)) return false
  if (!bytesEqual(proof.rootHash, dataHash)) return false
  const leafHash = hashLeaf(sha256(tx))
  if (!bytesEqual(leafHash, proof.proof.leafHash)) return false
  return verifyInclusion({
    leafHash,
    leafIndex: proof.proof.index,
    treeSize: proof.proof.total,
    auditPath: proof.proof.aunts,
    root: dataHash,
  })
}
