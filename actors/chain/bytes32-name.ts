/**
 * Zone and role names as the contracts' bytes32 keys: UTF-8, right-padded with zeros (the same
 * encoding `vigil identity zone-create` and the Ethereum ledger use).
 */
import { type Hex, hexToString, stringToHex, toBytes } from 'viem'

/** True when `name` fits a bytes32 key (1 to 32 UTF-8 bytes). */
export function isBytes32Name(name: string): boolean {
  const length = toBytes(name).length
  return length > 0 && length <= 32
}

/** Encodes a name of 1 to 32 UTF-8 bytes (check with {@link isBytes32Name} first). */
export function toBytes32Name(name: string): Hex {
  return stringToHex(name, { size: 32 })
}

/** Decodes a bytes32 name; the zero value gives ''. */
export function fromBytes32Name(value: Hex): string {
  return hexToString(value, { size: 32 }).replace(/\0+$/, '')
}
