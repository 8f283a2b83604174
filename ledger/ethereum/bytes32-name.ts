/**
 * Short names (zone ids, role names) as the contracts' bytes32 keys: the UTF-8 bytes, right-
 * padded with zeros, so they stay readable on chain and in events. Domains (CometBFT chain ids,
 * up to 50 characters) are hashed instead, see {@link domainId}. The one encoder of these keys:
 * the operator CLI, the Ethereum ledger actor and the security actors (actors/chain) all use it.
 */
import { type Hex, hexToString, keccak256, stringToHex, toBytes } from 'viem'
import { EthInvalidArgumentError } from './errors.ts'

/** True when `name` fits a bytes32 key (1 to 32 UTF-8 bytes). */
export function isBytes32Name(name: string): boolean {
  const length = toBytes(name).length
  return length > 0 && length <= 32
}

/** Encodes a non-empty name of at most 32 UTF-8 bytes as bytes32 (check with {@link isBytes32Name}). */
export function toBytes32Name(name: string): Hex {
  if (!isBytes32Name(name)) {
    const length = toBytes(name).length
    throw new EthInvalidArgumentError(
      `name '${name.slice(0, 40)}' must be 1 to 32 UTF-8 bytes long (has ${length})`,
    )
  }
  return stringToHex(name, { size: 32 })
}

/** Decodes a bytes32 name written by {@link toBytes32Name}; the zero value gives ''. */
export function fromBytes32Name(value: Hex): string {
  return hexToString(value, { size: 32 }).replace(/\0+$/, '')
}

/** The Anchor contract's key for a domain: keccak256 of its CometBFT chain id. */
export function domainId(chainId: string): Hex {
  if (chainId.length === 0) throw new EthInvalidArgumentError('domain chain id must not be empty')
  return keccak256(stringToHex(chainId))
}
