import { describe, expect, test } from 'bun:test'
import { LoopTurns } from './loop-turns.ts'

/** Loop passes driven by hand: `pass(n, ms)` counts n requests over ms, then ends the pass. */
function drivenTurns(targetMs: number) {
  let now = 0
  let endPass: (() => void) | undefined
  const turns = new LoopTurns({
    targetMs,
    now: () => now,
    afterTurn: (callback) => {
      endPass = callback
    },
  })
  const pass = (requests: number, ms: number): number[] => {
    const indexes = Array.from({ length: requests }, () => turns.arrive())
    now += ms
    endPass?.()
    endPass = undefined
    return indexes
  }
  return { turns, pass }
}

describe('LoopTurns', () => {
  test('requests are numbered in their pass and a finished pass records its size and duration', () => {
    const { turns, pass } = drivenTurns(10)
    expect(pass(3, 0.3)).toEqual([0, 1, 2])
    expect(turns.last).toEqual({ requests: 3, ms: 0.3 })
    expect(pass(2, 0.1)).toEqual([0, 1])
    expect(turns.costMs).toBeCloseTo(0.1 + 0.25 * (0.05 - 0.1), 9)
  })

  test('one long pass is a burst; two in a row saturate the loop', () => {
    const { turns, pass } = drivenTurns(10)
    pass(10, 1)
    pass(1000, 30)
    expect(turns.saturated).toBe(false)
    pass(1000, 30)
    expect(turns.saturated).toBe(true)
  })

  test('a saturated loop stays saturated through one short pass and recovers when passes stay short', () => {
    const { turns, pass } = drivenTurns(10)
    for (let i = 0; i < 4; i++) pass(1000, 30)
    pass(100, 2)
    expect(turns.saturated).toBe(true)
    for (let i = 0; i < 10; i++) pass(100, 2)
    expect(turns.saturated).toBe(false)
  })

  test('the rest of a pass is predicted from the larger of the last two passes and the cost of one request', () => {
    const { turns, pass } = drivenTurns(10)
    pass(1000, 20)
    pass(800, 16)
    expect(turns.costMs).toBeCloseTo(0.02, 9)
    expect(turns.remainingMs(0)).toBeCloseTo(999 * 0.02, 6)
    expect(turns.remainingMs(899)).toBeCloseTo(100 * 0.02, 6)
    expect(turns.remainingRequests(899)).toBe(100)
    expect(turns.remainingMs(5000)).toBe(0)
  })
})
