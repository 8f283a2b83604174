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

/** Like PendingAsk: an entry that tells the deadlines when it settles, however it settles. */
function ask(deadlines: AskDeadlines, clock: TestClock, timeoutMs: number, onExpire = () => {}) {
  const value: DeadlineEntry & { settle(): void } = {
    done: false,
    deadline: clock.now() + timeoutMs,
    expire: () => {
      value.settle()
      onExpire()
    },
    settle: () => {
      value.done = true
      deadlines.settled(timeoutMs)
    },
  }
  deadlines.add(timeoutMs, value)
  return value
}

describe('AskDeadlines lanes', () => {
  test('a timeout whose asks all replied leaves no lane and no timer behind', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    // A hostile peer choosing a new timeout for every ask must not grow the map.
    for (let timeoutMs = 1; timeoutMs <= 10_000; timeoutMs++) {
      ask(deadlines, clock, timeoutMs).settle()
    }
    expect(deadlines.lanes).toBe(0)
    expect(clock.pendingTimers).toBe(0)
  })

  test('a timeout whose asks all expired leaves no lane and no timer behind', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    let expired = 0
    for (let timeoutMs = 1; timeoutMs <= 1000; timeoutMs++) {
      ask(deadlines, clock, timeoutMs, () => expired++)
      ask(deadlines, clock, timeoutMs, () => expired++)
    }
    expect(deadlines.lanes).toBe(1000)
    clock.advance(1000)
    expect(expired).toBe(2000)
    expect(deadlines.lanes).toBe(0)
    expect(clock.pendingTimers).toBe(0)
  })

  test('a lane keeps waiting for its unsettled asks after the others settled', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    let expired = 0
    const first = ask(deadlines, clock, 100)
    ask(deadlines, clock, 100, () => expired++)
    first.settle()
    expect(deadlines.lanes).toBe(1)
    clock.advance(99)
    expect(expired).toBe(0)
    clock.advance(1)
    expect(expired).toBe(1)
    expect(deadlines.lanes).toBe(0)
  })

  test('an ask made when another expires, with the same timeout, is timed by a single timer', () => {
    const clock = new TestClock()
    const deadlines = new AskDeadlines(clock)
    let expired = 0
    // A caller that retries on timeout: the retry joins the lane whose timer is firing.
    ask(deadlines, clock, 50, () => {
      expired++
      ask(deadlines, clock, 50, () => expired++)
    })
    ask(deadlines, clock, 50)
    clock.advance(50)
    expect(expired).toBe(1)
    expect(clock.pendingTimers).toBe(1)
    clock.advance(50)
    expect(expired).toBe(2)
    expect(deadlines.lanes).toBe(0)
    expect(clock.pendingTimers).toBe(0)
  })
})
