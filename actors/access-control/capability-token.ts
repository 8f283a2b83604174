/**
 * A capability token as CapabilityAccessControl stores it (`getToken`), in plain numbers: what
 * the access-control actor caches and evaluates. Times are unix seconds, zones bytes32 hex
 * (zero = any zone), node types the contract's bitmask (bit i = NodeType(i), 0 = any type).
 */
import type { Hex } from 'viem'

export type TokenRight = {
  readonly resource: string
  readonly action: string
  /** UTC seconds of the day; equal values mean any time, start > end wraps past midnight. */
  readonly startSecond: number
  readonly endSecond: number
  readonly zoneId: Hex
  readonly nodeTypes: number
}

export type CapabilityToken = {
  readonly version: number
  readonly valid: boolean
  readonly issuedAt: number
  readonly expiresAt: number
  readonly rights: readonly TokenRight[]
}

type RawToken = readonly [
  bigint,
  boolean,
  bigint,
  bigint,
  readonly {
    resource: string
    action: string
    startSecond: number
    endSecond: number
    zoneId: Hex
    nodeTypes: number
  }[],
]

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
