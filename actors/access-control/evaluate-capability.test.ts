import { describe, expect, test } from 'bun:test'
import { type Hex, zeroHash } from 'viem'
import { toBytes32Name } from '../../ledger/index.ts'
import type { MirroredNode } from '../identity/index.ts'
import type { CapabilityToken, TokenRight } from './capability-token.ts'
import { evaluateCapability } from './evaluate-capability.ts'

const zoneA = toBytes32Name('zone-a')
const zoneB = toBytes32Name('zone-b')
const node: MirroredNode = { nodeType: 'fog', zoneId: zoneA }
// 2026-12-01 12:00:00 UTC.
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0)
const HOUR = 3_600
const right = (overrides: Partial<TokenRight> = {}): TokenRight => ({
  resource: '/enf/records',
  action: 'read',
  startSecond: 0,
  endSecond: 0,
  zoneId: zeroHash as Hex,
  nodeTypes: 0,
  ...overrides,
})
const token = (
  rights: TokenRight[],
  overrides: Partial<CapabilityToken> = {},
): CapabilityToken => ({
  version: 1,
  valid: true,
  issuedAt: NOW / 1000 - HOUR,
  expiresAt: NOW / 1000 + HOUR,
  rights,
  ...overrides,
})
const check = (t: CapabilityToken | undefined, n: MirroredNode | undefined) =>
  evaluateCapability({
    node: n,
    token: t,
    resource: '/enf/records',
    action: 'read',
    nowMs: NOW,
    maxCacheMs: 1_000,
  })

describe('evaluateCapability', () => {
  test.each([
    ['an unregistered subject', undefined, undefined, 'ACCESS_NOT_REGISTERED'],
    ['no token', undefined, node, 'ACCESS_DENIED'],
    ['a revoked token', token([right()], { valid: false }), node, 'ACCESS_DENIED'],
    ['an expired token', token([right()], { expiresAt: NOW / 1000 - 1 }), node, 'ACCESS_DENIED'],
    [
      'a token not valid yet',
      token([right()], { issuedAt: NOW / 1000 + 10 }),
      node,
      'ACCESS_DENIED',
    ],
    ['another right only', token([right({ action: 'write' })]), node, 'ACCESS_DENIED'],
    ['a right for other node types', token([right({ nodeTypes: 1 << 1 })]), node, 'ACCESS_DENIED'],
    ['a right bound to another zone', token([right({ zoneId: zoneB })]), node, 'ACCESS_OTHER_ZONE'],
    [
      'a right outside its time window',
      token([right({ startSecond: 13 * HOUR, endSecond: 14 * HOUR })]),
      node,
      'ACCESS_DENIED',
    ],
  ] as const)('refuses %s', (_, t, n, code) => {
    const decision = check(t, n)
    expect(decision.allowed).toBe(false)
    expect(decision.code).toBe(code)
    expect(decision.reason).toBeString()
    expect(decision.validUntilMs).toBeLessThanOrEqual(NOW + 1_000)
  })

  test('allows a matching right whose zone, node type and window conditions hold', () => {
    const conditioned = right({
      zoneId: zoneA,
      nodeTypes: 1 << 2,
      startSecond: 11 * HOUR,
      endSecond: 13 * HOUR,
    })
    expect(check(token([conditioned]), node)).toEqual({ allowed: true, validUntilMs: NOW + 1_000 })
  })

  test('honours windows that wrap past midnight', () => {
    const night = right({ startSecond: 22 * HOUR, endSecond: 6 * HOUR })
    expect(check(token([night]), node).allowed).toBe(false)
    const day = right({ startSecond: 6 * HOUR, endSecond: 22 * HOUR })
    expect(check(token([day]), node).allowed).toBe(true)
  })

  test('keeps an allowance no longer than the window or the token lasts', () => {
    const closing = right({ startSecond: 11 * HOUR, endSecond: 12 * HOUR })
    expect(check(token([closing]), node).validUntilMs).toBe(NOW + 1_000)
    const expiring = token([right()], { expiresAt: NOW / 1000 })
    expect(check(expiring, node).validUntilMs).toBe(NOW + 999)
    const lenient = evaluateCapability({
      node,
      token: token([right({ startSecond: 11 * HOUR, endSecond: 12 * HOUR })]),
      resource: '/enf/records',
      action: 'read',
      nowMs: NOW,
      maxCacheMs: 10 * 60_000,
    })
    expect(lenient.validUntilMs).toBe(NOW + 1_000)
  })
})
