import { describe, expect, test } from 'bun:test'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { EnrolledHost } from '../rpc/enrollment-list.ts'
import { loneSnapshotReplicas } from '../testing/index.ts'
import { refuseUncredentialedCallers } from './admit-remote-caller.ts'
import { hostRpcHandler } from './host-rpc-handler.ts'
import type { HostStatus } from './host-status.ts'

const peer: EnrolledHost = { hostId: 'edge-1', role: 'edge', publicKey: 'unused' }

/** The handler over a stand-in kernel that records the timeout each ask reached it with. */
function handlerRecordingTimeouts() {
  const timeouts: (number | undefined)[] = []
  const system = {
    has: (actor: string) => actor === 'echo',
    ask: (_actor: string, _type: string, payload: unknown, options: { timeoutMs?: number }) => {
      timeouts.push(options.timeoutMs)
      return payload
    },
    tell: () => {},
  } as unknown as ActorSystem
  const handler = hostRpcHandler({
    hostId: 'fog-1',
    system,
    admitCaller: refuseUncredentialedCallers,
    ...loneSnapshotReplicas('fog-1'),
    log: () => {},
    onHeartbeat: () => {},
    onLeave: () => {},
    swap: () => Promise.reject(new Error('not in this test')),
    deploy: () => Promise.reject(new Error('not in this test')),
    status: () => ({}) as HostStatus,
  })
  const ask = (timeoutMs: unknown) =>
    handler.request('actor.ask', { actor: 'echo', type: 'echo.say', payload: 1, timeoutMs }, peer)
  return { ask, timeouts }
}

describe('hostRpcHandler actor.ask timeouts', () => {
  test("a peer's fractional timeout reaches the kernel rounded up to whole milliseconds", () => {
    const { ask, timeouts } = handlerRecordingTimeouts()
    for (const timeoutMs of [0.001, 1.5, 999.0001, 1000]) ask(timeoutMs)
    expect(timeouts).toEqual([1, 2, 1000, 1000])
  })

  test("a peer's timeout above 300 s reaches the kernel as 300 s", () => {
    const { ask, timeouts } = handlerRecordingTimeouts()
    for (const timeoutMs of [300_001, 1e308, Number.MAX_SAFE_INTEGER]) ask(timeoutMs)
    expect(timeouts).toEqual([300_000, 300_000, 300_000])
  })

  test("a peer's timeout that is not a positive finite number gets the kernel's default", () => {
    const { ask, timeouts } = handlerRecordingTimeouts()
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, '100', null, undefined, { ms: 1 }]
    for (const timeoutMs of bad) ask(timeoutMs)
    expect(timeouts).toEqual(bad.map(() => undefined))
  })

  test('a peer sending many distinct fractional timeouts reaches the kernel with few distinct ones', () => {
    const { ask, timeouts } = handlerRecordingTimeouts()
    for (let i = 0; i < 10_000; i++) ask(100 + i / 10_000)
    expect(new Set(timeouts)).toEqual(new Set([100, 101]))
  })
})
