/**
 * A capability token as CapabilityAccessControl stores it (`getToken`), in plain numbers: what
 * the access-control actor caches and evaluates. Times are unix seconds, zones bytes32 hex
 * (zero = any zone), node types the contract's bitmask (bit i = NodeType(i), 0 = any type).
 */
import type { Hex } from 'viem'
import type { OnChainAccessRight } from '../../ledger/index.ts'

/** A right as the contract stores it; UTC seconds of the day, equal = any time, start > end wraps. */
export type TokenRight = OnChainAccessRight

export type CapabilityToken = {
  readonly version: number
  readonly valid: boolean
  readonly issuedAt: number
  readonly expiresAt: number
  readonly rights: readonly TokenRight[]
}

type RawToken = readonly [bigint, boolean, bigint, bigint, readonly OnChainAccessRight[]]

/** Converts `getToken`'s tuple. */
export function tokenFromChain([
  version,
  valid,
  issuedAt,
  expiresAt,
  rights,
]: RawToken): CapabilityToken {
  return {
    version: Number(version),
    valid,
    issuedAt: Number(issuedAt),
    expiresAt: Number(expiresAt),
    rights: rights.map((right) => ({ ...right, zoneId: right.zoneId.toLowerCase() as Hex })),
  }
}
