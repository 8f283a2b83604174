import { describe, expect, test } from 'bun:test'
import { TestClock } from '../clock/test-clock.ts'
import { AskDeadlines, type DeadlineEntry } from './ask-deadlines.ts'

function entry(clock: TestClock, timeoutMs: number, expired: string[], name: string) {
  const value: DeadlineEntry = {
    done: false,
    deadline: clock.now() + timeoutMs,
    expire: () => {
      value.done = true
      expired.push(name)
    },
  }
  return value
}

describe('AskDeadlines', () => {
  test('expires entries at their deadline in order, with one timer per timeout', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    const expired: string[] = []
    deadlines.add(100, entry(clock, 100, expired, 'a'))
    clock.advance(10)
    deadlines.add(100, entry(clock, 100, expired, 'b'))
    deadlines.add(50, entry(clock, 50, expired, 'c'))
    expect(clock.pendingTimers).toBe(2)
    clock.advance(50)
    expect(expired).toEqual(['c'])
    clock.advance(39)
    expect(expired).toEqual(['c'])
    clock.advance(1)
    expect(expired).toEqual(['c', 'a'])
    clock.advance(10)
    expect(expired).toEqual(['c', 'a', 'b'])
    expect(clock.pendingTimers).toBe(0)
  })

  test('never expires an entry that settled first', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    const expired: string[] = []
    const first = entry(clock, 100, expired, 'first')
    const second = entry(clock, 100, expired, 'second')
    deadlines.add(100, first)
    deadlines.add(100, second)
    first.done = true
    deadlines.settled(100)
    clock.advance(100)
    expect(expired).toEqual(['second'])
  })

  test('drops settled asks and their timer when asks settle in order', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    const expired: string[] = []
    for (let i = 0; i < 100_000; i++) {
      const value = entry(clock, 1000, expired, String(i))
      deadlines.add(1000, value)
      value.done = true
      deadlines.settled(1000)
    }
    clock.advance(1000)
    expect(expired).toEqual([])
    expect(clock.pendingTimers).toBe(0)
  })
})
