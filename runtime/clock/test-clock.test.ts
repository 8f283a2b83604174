import { describe, expect, test } from 'bun:test'
import { TestClock } from './test-clock.ts'

describe('TestClock', () => {
  test('fires due timers in time order when advanced, and no others', () => {
    const clock = new TestClock()
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b'), 20)
    clock.setTimeout(() => fired.push('a'), 10)
    clock.setTimeout(() => fired.push('c'), 30)
    clock.advance(25)
    expect(fired).toEqual(['a', 'b'])
    expect(clock.now()).toBe(25)
    expect(clock.pendingTimers).toBe(1)
  })

  test('fires timers scheduled by fired callbacks when they fall due', () => {
    const clock = new TestClock()
    const fired: number[] = []
    clock.setTimeout(() => {
      fired.push(clock.now())
      clock.setTimeout(() => fired.push(clock.now()), 5)
    }, 5)
    clock.advance(10)
    expect(fired).toEqual([5, 10])
  })

  test('cancels cleared timers and refuses to go back in time', () => {
    const clock = new TestClock()
    let fired = false
    const handle = clock.setTimeout(() => {
      fired = true
    }, 1)
    clock.clearTimeout(handle)
    clock.advance(5)
    expect(fired).toBe(false)
    expect(() => clock.advance(-1)).toThrow(RangeError)
  })

  test('stalls like a blocked event loop: time moves, due timers fire late at the next advance', () => {
    const clock = new TestClock()
    const fired: number[] = []
    clock.setTimeout(() => fired.push(clock.now()), 10)
    clock.stall(500)
    expect(fired).toEqual([])
    clock.advance(0)
    expect(fired).toEqual([500])
    expect(() => clock.stall(-1)).toThrow(RangeError)
  })
})
