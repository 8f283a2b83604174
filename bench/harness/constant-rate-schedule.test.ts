import { describe, expect, test } from 'bun:test'
import { constantRateSchedule } from './constant-rate-schedule.ts'

describe('constantRateSchedule', () => {
  test('spaces requests evenly at 1000 / rate ms from t0', () => {
    const schedule = constantRateSchedule(100, 200, 1)
    expect(schedule.total).toBe(200)
    expect(schedule.dueAt(0)).toBe(100)
    expect(schedule.dueAt(1)).toBe(105)
    expect(schedule.dueAt(199)).toBe(100 + 199 * 5)
  })
  test('counts the requests due by a time, the first one at t0 itself', () => {
    const schedule = constantRateSchedule(1000, 100, 2)
    expect(schedule.dueBy(999)).toBe(0)
    expect(schedule.dueBy(1000)).toBe(1)
    expect(schedule.dueBy(1009.9)).toBe(1)
    expect(schedule.dueBy(1010)).toBe(2)
  })
  test('does not slow down when the sender falls behind: late checks see every overdue request', () => {
    const schedule = constantRateSchedule(0, 1000, 1)
    // A sender stalled for 250 ms owes 251 requests, all due at their original times.
    expect(schedule.dueBy(250)).toBe(251)
    expect(schedule.dueAt(250)).toBe(250)
  })
  test('never schedules more than rate × duration', () => {
    const schedule = constantRateSchedule(0, 3, 2)
    expect(schedule.total).toBe(6)
    expect(schedule.dueBy(1e9)).toBe(6)
  })
  test('refuses a rate or duration that is not positive', () => {
    expect(() => constantRateSchedule(0, 0, 1)).toThrow(RangeError)
    expect(() => constantRateSchedule(0, 10, -1)).toThrow('must be positive')
  })
})
