import { describe, expect, test } from 'bun:test'
import type { Clock, TimerHandle } from '../clock/clock.ts'
import { LoopLagMonitor } from './loop-lag-monitor.ts'

/** A clock whose timers the test fires, each as late as it says. */
function lateClock() {
  let now = 0
  const timers: { due: number; callback: () => void }[] = []
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms): TimerHandle {
      timers.push({ due: now + ms, callback })
      return { id: timers.length }
    },
    clearTimeout() {},
  }
  return {
    clock,
    pending: () => timers.length,
    /** Fires the next timer `lateMs` after its due time. */
    fire(lateMs: number) {
      const timer = timers.shift()
      if (!timer) throw new Error('no timer armed')
      now = timer.due + lateMs
      timer.callback()
    },
  }
}

describe('LoopLagMonitor', () => {
  test("reports each interval's smallest lag while busy, then 0 and stops sampling once idle", () => {
    const { clock, fire, pending } = lateClock()
    const reports: number[] = []
    const loop = new LoopLagMonitor(clock, { sampleMs: 10, intervalMs: 100 })
    loop.onInterval((lag) => reports.push(lag))
    loop.touch()
    // One interval with every sample 25–40 ms late: saturated.
    for (const late of [40, 25, 30]) fire(late)
    expect(reports).toEqual([25])
    // Busy again, and one sample on time: only a burst.
    loop.touch()
    for (const late of [30, 0, 30, 30, 30]) fire(late)
    expect(reports).toEqual([25, 0])
    // No request during the next interval: it reports 0 and arms no timer.
    while (reports.length < 3) fire(0)
    expect(reports).toEqual([25, 0, 0])
    expect(pending()).toBe(0)
  })
})
