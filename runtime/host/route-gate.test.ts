import { describe, expect, test } from 'bun:test'
import { TestClock } from '../clock/test-clock.ts'
import { RouteGate } from './route-gate.ts'

describe('RouteGate', () => {
  test('stops counting a waiter toward the limit once its deadline passed', async () => {
    const clock = new TestClock()
    const gate = new RouteGate({ clock, retryMs: 1000, maxWaiting: 2, releaseBatch: 10 })
    const early = gate.wait(clock.now() + 50, 1)
    const late = gate.wait(clock.now() + 5000, 2)
    expect(await gate.wait(clock.now() + 5000, 3)).toBe(false)
    clock.advance(50)
    expect(await early).toBe(true)
    expect(gate.waiting).toBe(1)
    const third = gate.wait(clock.now() + 5000, 3)
    expect(gate.waiting).toBe(2)
    gate.open()
    expect(await Promise.all([late, third])).toEqual([true, true])
    expect(gate.waiting).toBe(0)
  })
})
