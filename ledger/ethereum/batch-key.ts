/**
 * The Anchor contract's bytes32 key for a CometBFT batch id. The ledger uses the batch
 * transaction's hash (64 hex digits) as batch id, which is used as is; any other id is hashed.
 */
import { type Hex, keccak256, stringToHex } from 'viem'

const HASH = /^(0x)?[0-9a-fA-F]{64}$/

/** bytes32 key of `batchId` in the Anchor contract. */
export function batchKey(batchId: string): Hex {
  if (HASH.test(batchId)) return `0x${batchId.replace(/^0x/, '').toLowerCase()}`
  return keccak256(stringToHex(batchId))
}

/** A 32-byte hash as 0x-prefixed lowercase hex (accepts it with or without 0x). */
export function toBytes32Hex(hash: string): Hex | null {
  return HASH.test(hash) ? `0x${hash.replace(/^0x/, '').toLowerCase()}` : null
}
