import { describe, expect, test } from 'bun:test'
import { AdaptiveLimit } from './adaptive-limit.ts'

describe('AdaptiveLimit', () => {
  test('a loop late for whole intervals halves the limit down to its floor, and an on-time loop grows it back to the maximum', () => {
    const limit = new AdaptiveLimit({ max: 256, min: 32, targetLagMs: 10 })
    expect([30, 30, 30, 30].map((lag) => limit.update(lag))).toEqual([128, 64, 32, 32])
    expect(limit.cut).toBe(true)
    expect([0, 2, 10, 0, 0].map((lag) => limit.update(lag))).toEqual([48, 72, 108, 162, 243])
    expect(limit.update(0)).toBe(256)
    expect(limit.cut).toBe(false)
  })

  test('an actor whose own maximum is below the floor keeps its maximum as the floor', () => {
    const limit = new AdaptiveLimit({ max: 16, min: 32, targetLagMs: 10 })
    expect(limit.update(50)).toBe(16)
    expect(limit.cut).toBe(false)
  })
})
