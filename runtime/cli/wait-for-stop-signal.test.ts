import { describe, expect, test } from 'bun:test'
import { EventEmitter } from 'node:events'
import { TestClock } from '../clock/test-clock.ts'
import { waitForStopSignal } from './wait-for-stop-signal.ts'

function setUp() {
  const signals = new EventEmitter()
  const clock = new TestClock(1_000)
  const exits: number[] = []
  const stopped = waitForStopSignal({
    clock,
    duplicateMs: 1_000,
    signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    exit: (code) => exits.push(code),
  })
  return { signals, clock, exits, stopped }
}

describe('waitForStopSignal', () => {
  test('resolves with the first SIGINT or SIGTERM', async () => {
    const { signals, stopped } = setUp()
    signals.emit('SIGTERM', 'SIGTERM')
    expect(await stopped).toBe('SIGTERM')
  })

  test('ignores the same request delivered twice (terminal and forwarding parent)', async () => {
    const { signals, clock, exits, stopped } = setUp()
    signals.emit('SIGINT', 'SIGINT')
    clock.advance(200)
    signals.emit('SIGINT', 'SIGINT')
    expect(await stopped).toBe('SIGINT')
    expect(exits).toEqual([])
  })

  test('exits at once when the user asks again after the duplicate window', async () => {
    const { signals, clock, exits, stopped } = setUp()
    signals.emit('SIGINT', 'SIGINT')
    await stopped
    clock.advance(1_500)
    signals.emit('SIGINT', 'SIGINT')
    expect(exits).toEqual([130])
    expect(signals.listenerCount('SIGINT')).toBe(0)
    expect(signals.listenerCount('SIGTERM')).toBe(0)
  })
})
