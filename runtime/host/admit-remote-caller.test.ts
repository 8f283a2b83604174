import { describe, expect, test } from 'bun:test'
import type { Caller } from '../actor/caller.ts'
import { admitRemoteCaller, refuseUncredentialedCallers } from './admit-remote-caller.ts'

const code = (run: () => unknown) => {
  try {
    run()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe('admitRemoteCaller', () => {
  test('accepts a host caller only from that host', () => {
    const edge: Caller = { id: 'host:edge-1', claims: { host: 'edge-1', actor: 'enf' } }
    expect(admitRemoteCaller(edge, 'edge-1', refuseUncredentialedCallers)).toBe(edge)
    expect(code(() => admitRemoteCaller(edge, 'edge-2', refuseUncredentialedCallers))).toBe(
      'CALLER_FORGED',
    )
    const lying = { id: 'host:edge-2', claims: { host: 'edge-1' } }
    expect(code(() => admitRemoteCaller(lying, 'edge-2', refuseUncredentialedCallers))).toBe(
      'CALLER_FORGED',
    )
  })

  test('hands user callers to the hook, whose default refuses those without a credential', () => {
    expect(
      code(() => admitRemoteCaller({ id: '0xa1' }, 'edge-1', refuseUncredentialedCallers)),
    ).toBe('CALLER_REFUSED')
    const withCredential = { id: '0xa1', credential: 'session' }
    expect(admitRemoteCaller(withCredential, 'edge-1', refuseUncredentialedCallers)).toBe(
      withCredential,
    )
    const seen: [string, string][] = []
    const rewritten = admitRemoteCaller({ id: '0xa1' }, 'edge-1', (caller, peer) => {
      seen.push([caller.id, peer])
      return { ...caller, claims: { zone: 'z1' } }
    })
    expect(rewritten).toEqual({ id: '0xa1', claims: { zone: 'z1' } })
    expect(seen).toEqual([['0xa1', 'edge-1']])
  })

  test('passes a message without a caller through', () => {
    expect(admitRemoteCaller(undefined, 'edge-1', refuseUncredentialedCallers)).toBeUndefined()
  })
})
