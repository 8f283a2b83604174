/**
 * The ledger app's hashes of state. Every validator derives the same app hash
 * from the same block: a running hash, `H("vigil.apphash.v1" ‖ previous ‖
 * height ‖ MTH(change digests))`, over the hashes of the transactions that
 * changed state; a block without changes keeps the previous hash (so
 * create_empty_blocks=false networks go quiet). The genesis hash is a
 * canonical binary digest of the settings and the sorted signer set. No wall
 * clock, randomness, map order or JSON enters a hash.
 */
import { fromHex } from '../encoding/hex.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { hashLeaf, sha256 } from '../merkle/rfc6962-hash.ts'
import type { LedgerSettings, SignerRow } from './app-store.ts'

const encoder = new TextEncoder()
const APP_HASH_TAG = encoder.encode('vigil.apphash.v1')
const CHANGE_TAG = encoder.encode('vigil.change.v1')
const GENESIS_TAG = encoder.encode('vigil.genesis.v1')

/** The app hash InitChain answers: settings, then each signer (key, role, name) in the given order. */
export function genesisAppHash(
  settings: LedgerSettings,
  signers: readonly SignerRow[],
): Uint8Array {
  const parts: Uint8Array[] = [
    GENESIS_TAG,
    lengthPrefixed(encoder.encode(settings.chainId)),
    u64(settings.maxTxBytes),
    u64(settings.maxRecordsPerTx),
  ]
  for (const row of signers) {
    parts.push(
      fromHex(row.publicKeyHex),
      new Uint8Array([row.role === 'admin' ? 2 : 1]),
      lengthPrefixed(encoder.encode(row.name)),
    )
  }
  return sha256(...parts)
}

/** The Merkle leaf of one state-changing transaction (its CometBFT hash, hex of any case). */
export function changeDigest(txHash: string): Uint8Array {
  return hashLeaf(sha256(CHANGE_TAG, fromHex(txHash.toLowerCase())))
}

/** The app hash after block `height` with these change digests (unchanged when there are none). */
export function nextAppHash(
  previous: Uint8Array,
  height: number,
  digests: readonly Uint8Array[],
): Uint8Array {
  if (digests.length === 0) return previous
  return sha256(APP_HASH_TAG, previous, u64(height), new MerkleTree(digests).root)
}

function u64(value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length)
  new DataView(out.buffer).setUint32(0, bytes.length)
  out.set(bytes, 4)
  return out
}
