/**
 * The outcomes of CapabilityAccessControl.checkAccess, in the contract's enum order
 * (contracts/src/CapabilityAccessControl.sol `Decision`). Index 0 denies, so a zero value never
 * grants access.
 */
export const ACCESS_DECISIONS = [
  'NoToken',
  'Allowed',
  'Revoked',
  'NotYetValid',
  'Expired',
  'SubjectNotRegistered',
  'NoMatchingRight',
  'ConditionNotMet',
] as const

export type AccessDecision = (typeof ACCESS_DECISIONS)[number]

/** Names the contract's numeric decision; unknown numbers (a newer contract) deny. */
export function accessDecisionName(value: number): AccessDecision | `Unknown(${number})` {
  return ACCESS_DECISIONS[value] ?? `Unknown(${value})`
}

/** Node types as the contracts number them (IdentityRegistry `NodeType`). */
export const NODE_TYPES = ['none', 'edge', 'fog', 'cloud', 'user'] as const

export type NodeTypeName = (typeof NODE_TYPES)[number]

/** The contract's number for a node type name. */
export function nodeTypeNumber(name: Exclude<NodeTypeName, 'none'>): number {
  return NODE_TYPES.indexOf(name)
}

/** Bitmask of node types for a right's `nodeTypes` condition (empty = any type). */
export function nodeTypeMask(names: readonly Exclude<NodeTypeName, 'none'>[]): number {
  return names.reduce((mask, name) => mask | (1 << nodeTypeNumber(name)), 0)
}
