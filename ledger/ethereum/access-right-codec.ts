/**
 * One access right as CapabilityAccessControl stores it (`Right`: resource, action, a UTC window
 * in seconds of the day, a bytes32 zone, a node-type bitmask) and back. The one codec of rights
 * for the contract's clients: the operator's `vigil access grant` and the access-control actor's
 * `access.request` encode with it, the actor decodes the tokens it mirrors with it.
 */
import { type Hex, zeroHash } from 'viem'
import { NODE_TYPES, type NodeTypeName, nodeTypeMask } from './access-decision.ts'
import { fromBytes32Name, toBytes32Name } from './bytes32-name.ts'

type TypedNode = Exclude<NodeTypeName, 'none'>

/** A right in readable form: a zone name, node type names; no window, zone or types = any. */
export type ReadableAccessRight = {
  readonly resource: string
  readonly action: string
  readonly timeWindow?: { readonly startSecond: number; readonly endSecond: number } | undefined
  readonly zone?: string | undefined
  readonly nodeTypes?: TypedNode[] | undefined
}

/** A right as the contract's `Right` struct holds it (equal seconds = any time, zero zone = any). */
export type OnChainAccessRight = {
  readonly resource: string
  readonly action: string
  readonly startSecond: number
  readonly endSecond: number
  readonly zoneId: Hex
  readonly nodeTypes: number
}

/** The contract's `Right` for a readable right; a zone that is no bytes32 name throws ETH_INVALID_ARGUMENT. */
export function encodeAccessRight(right: ReadableAccessRight): OnChainAccessRight {
  return {
    resource: right.resource,
    action: right.action,
    startSecond: right.timeWindow?.startSecond ?? 0,
    endSecond: right.timeWindow?.endSecond ?? 0,
    zoneId: right.zone === undefined ? zeroHash : toBytes32Name(right.zone),
    nodeTypes: nodeTypeMask(right.nodeTypes ?? []),
  }
}

/** The readable form of a stored right: conditions the contract leaves open are left out. */
export function decodeAccessRight(right: OnChainAccessRight): ReadableAccessRight {
  const nodeTypes = NODE_TYPES.filter(
    (name, bit): name is TypedNode => bit > 0 && (right.nodeTypes & (1 << bit)) !== 0,
  )
  return {
    resource: right.resource,
    action: right.action,
    ...(right.startSecond === right.endSecond
      ? {}
      : { timeWindow: { startSecond: right.startSecond, endSecond: right.endSecond } }),
    ...(right.zoneId === zeroHash ? {} : { zone: fromBytes32Name(right.zoneId) }),
    ...(nodeTypes.length === 0 ? {} : { nodeTypes }),
  }
}
