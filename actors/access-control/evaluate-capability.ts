/**
 * Algorithm 3's decision, off chain: may `subject` perform `action` on `resource` now? The same
 * rules as CapabilityAccessControl.checkAccess (which stays the on-chain reference), evaluated
 * against the actor's mirrors, plus how long the answer holds (`validUntilMs`): until the token
 * expires, the time window closes or opens, capped by `maxCacheMs` so a revocation reaches
 * callers that cache within that bound.
 */
import { type Hex, zeroHash } from 'viem'
import { fromBytes32Name, NODE_TYPES } from '../../ledger/index.ts'
import type { MirroredNode } from '../identity/index.ts'
import type { CapabilityToken, TokenRight } from './capability-token.ts'

export type AccessRefusalCode = 'ACCESS_NOT_REGISTERED' | 'ACCESS_OTHER_ZONE' | 'ACCESS_DENIED'

export type AccessDecision = {
  readonly allowed: boolean
  readonly code?: AccessRefusalCode | undefined
  readonly reason?: string | undefined
  /** Unix ms until which the answer may be reused. */
  readonly validUntilMs: number
}

export type EvaluateCapabilityParameters = {
  node: MirroredNode | undefined
  token: CapabilityToken | undefined
  resource: string
  action: string
  nowMs: number
  maxCacheMs: number
}

const DAY_MS = 86_400_000

/** The decision and its validity. */
export function evaluateCapability(parameters: EvaluateCapabilityParameters): AccessDecision {
  const { node, token, nowMs } = parameters
  const cap = nowMs + parameters.maxCacheMs
  const deny = (code: AccessRefusalCode, reason: string, until = cap): AccessDecision => ({
    allowed: false,
    code,
    reason,
    validUntilMs: Math.min(until, cap),
  })
  if (!node)
    return deny('ACCESS_NOT_REGISTERED', 'the subject is not registered in the IdentityRegistry')
  if (!token || token.version === 0)
    return deny('ACCESS_DENIED', 'the subject holds no capability token')
  if (!token.valid) return deny('ACCESS_DENIED', "the subject's token was revoked")
  if (nowMs < token.issuedAt * 1000) {
    return deny('ACCESS_DENIED', "the subject's token is not valid yet", token.issuedAt * 1000)
  }
  if (nowMs > token.expiresAt * 1000) return deny('ACCESS_DENIED', "the subject's token expired")
  const named = token.rights.filter(
    (right) => right.resource === parameters.resource && right.action === parameters.action,
  )
  if (named.length === 0) {
    return deny(
      'ACCESS_DENIED',
      `the token grants no '${parameters.action}' on '${parameters.resource}'`,
    )
  }
  const nodeTypeBit = 1 << NODE_TYPES.indexOf(node.nodeType)
  const fitting = named.filter(
    (right) => right.nodeTypes === 0 || (right.nodeTypes & nodeTypeBit) !== 0,
  )
  if (fitting.length === 0) {
    return deny('ACCESS_DENIED', `the right is not granted to ${node.nodeType} nodes`)
  }
  const inZone = fitting.filter(
    (right) => right.zoneId === zeroHash || right.zoneId === node.zoneId,
  )
  if (inZone.length === 0) {
    const zones = fitting.map((right) => fromBytes32Name(right.zoneId)).join(', ')
    return deny(
      'ACCESS_OTHER_ZONE',
      `the right holds in zone ${zones}, the subject is in ${fromBytes32Name(node.zoneId as Hex)}`,
    )
  }
  const windows = inZone.map((right) => windowAt(right, nowMs))
  const open = windows.filter((window) => window.open)
  if (open.length === 0) {
    const opens = Math.min(...windows.map((window) => window.changesAtMs))
    return deny('ACCESS_DENIED', 'the right is outside its time window now', opens)
  }
  const closes = Math.max(...open.map((window) => window.changesAtMs))
  return { allowed: true, validUntilMs: Math.min(cap, closes, token.expiresAt * 1000 + 999) }
}

/** Whether `nowMs` falls in the right's daily window, and when that next changes. */
function windowAt(right: TokenRight, nowMs: number): { open: boolean; changesAtMs: number } {
  if (right.startSecond === right.endSecond)
    return { open: true, changesAtMs: Number.POSITIVE_INFINITY }
  const dayStart = nowMs - (nowMs % DAY_MS)
  const second = Math.floor((nowMs % DAY_MS) / 1000)
  const { startSecond: start, endSecond: end } = right
  const open = start < end ? second >= start && second <= end : second >= start || second <= end
  // The window is inclusive of its end second: it closes at end + 1 s, opens at start.
  const next = (boundary: number) => {
    const at = dayStart + boundary * 1000
    return at > nowMs ? at : at + DAY_MS
  }
  return { open, changesAtMs: open ? next(end + 1) : next(start) }
}
