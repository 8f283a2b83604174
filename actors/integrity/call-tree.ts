/**
 * One `integrity.record` call as one ledger entry: an RFC 6962 tree over the
 * call's record leaves, in call order, whose root is committed once,
 *
 *   leafᵢ    = leaf hash of the ledger record { feature_hash, integrity:<hostId>/<table>/<id>, recordHashᵢ }
 *   callRoot = MTH(leaf₀ … leafₙ₋₁)                                  (RFC 6962 §2.1)
 *   entry    = { kind: feature_hash, key: "integrity:<hostId>/call/<callRoot>", dataHex: callRoot }
 *
 * so the ledger's per-record work (4 CometBFT nodes and 4 ABCI apps checking,
 * gossiping and storing every entry) is divided by the call size. A record's
 * receipt is two-level: its leaf → the call root (this tree), the call entry →
 * the ledger batch root → the block. The leaf binds the record's table and id
 * (its key) to its hash, exactly as a per-record ledger entry's leaf did.
 */
import { MerkleTree, recordLeafHash } from '../../ledger/index.ts'
import type { HashRecord } from './integrity-ledger.ts'
import { type IntegrityRecord, integrityLedgerKey } from './integrity-record.ts'

/** The ledger key of a call's entry, in its host's namespace. */
export function callLedgerKey(hostId: string, callRoot: string): string {
  return `integrity:${hostId}/call/${callRoot}`
}

/** The ledger entry of a call: its root under {@link callLedgerKey}. */
export function callEntry(hostId: string, callRoot: string): HashRecord {
  return { kind: 'feature_hash', key: callLedgerKey(hostId, callRoot), dataHex: callRoot }
}

/** The call-tree leaf of one record: the leaf of its (uncommitted) per-record ledger record. */
export function recordLeaf(hostId: string, table: string, id: string, hash: string): Uint8Array {
  return recordLeafHash({
    kind: 'feature_hash',
    key: integrityLedgerKey(hostId, table, id),
    dataHex: hash,
  })
}

/** The call tree over `records` (with their hashes, in call order). */
export function callTree(
  hostId: string,
  records: readonly Pick<IntegrityRecord, 'table' | 'id'>[],
  hashes: readonly string[],
): MerkleTree {
  const leaves: Uint8Array[] = new Array(records.length)
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as Pick<IntegrityRecord, 'table' | 'id'>
    leaves[i] = recordLeaf(hostId, record.table, record.id, hashes[i] as string)
  }
  return new MerkleTree(leaves)
}

/** The leaves of a tree as one hex text (64 characters a leaf), as the fog stores them. */
export function leavesHex(tree: MerkleTree): string {
  const parts: Uint8Array[] = new Array(tree.size)
  for (let i = 0; i < tree.size; i++) parts[i] = tree.leaf(i)
  return Buffer.concat(parts).toString('hex')
}

/** Leaves from {@link leavesHex}; null when the text is not a whole number of hashes. */
export function leavesFromHex(text: string): Uint8Array[] | null {
  if (text.length % 64 !== 0 || !/^[0-9a-f]*$/.test(text)) return null
  const bytes = Buffer.from(text, 'hex')
  const leaves: Uint8Array[] = new Array(bytes.length / 32)
  // Views into one buffer, not copies (the audit reads every call's leaves).
  for (let i = 0; i < leaves.length; i++) leaves[i] = bytes.subarray(i * 32, i * 32 + 32)
  return leaves
}
