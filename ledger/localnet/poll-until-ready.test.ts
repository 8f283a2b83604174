import { describe, expect, test } from 'bun:test'
import { TestClock } from '../../runtime/index.ts'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { pollUntilReady } from './poll-until-ready.ts'

/** Resolves once every queued microtask and immediate (the poll's next ask) has run. */
function afterMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

describe('pollUntilReady', () => {
  test('asks again every interval, on the clock, until the condition holds', async () => {
    const clock = new TestClock()
    let asks = 0
    const ready = pollUntilReady(() => ++asks >= 3, {
      clock,
      timeoutMs: 1_000,
      intervalMs: 50,
      what: 'the test',
    })
    await afterMicrotasks()
    expect(asks).toBe(1)
    clock.advance(50)
    await afterMicrotasks()
    clock.advance(50)
    await ready
    expect(asks).toBe(3)
  })

  test('asks again after a condition that throws (a node still starting)', async () => {
    const clock = new TestClock()
    let asks = 0
    const ready = pollUntilReady(
      () => {
        asks++
        if (asks === 1) throw new Error('connect ECONNREFUSED')
        return true
      },
      { clock, timeoutMs: 1_000, intervalMs: 50, what: 'the test' },
    )
    await afterMicrotasks()
    clock.advance(50)
    await ready
    expect(asks).toBe(2)
  })

  test('fails with LEDGER_LOCALNET_FAILED naming what it waited for and the last error', async () => {
    const clock = new TestClock()
    const failed = rejectionOf(
      pollUntilReady(
        () => {
          throw new Error('connect ECONNREFUSED')
        },
        { clock, timeoutMs: 100, intervalMs: 50, what: 'cometbft 0 RPC' },
      ),
    )
    for (let i = 0; i < 4; i++) {
      await afterMicrotasks()
      clock.advance(50)
    }
    const error = await failed
    expect(LedgerLocalnetError.is(error)).toBe(true)
    expect((error as Error).message).toContain('cometbft 0 RPC')
    expect((error as Error).message).toContain('ECONNREFUSED')
  })

  test('fails at once when the condition reports a process that exited', async () => {
    const clock = new TestClock()
    const exited = new LedgerLocalnetError('cometbft 0 exited with 1')
    const error = await rejectionOf(
      pollUntilReady(
        () => {
          throw exited
        },
        { clock, timeoutMs: 1_000, intervalMs: 50, what: 'the test' },
      ),
    )
    expect(error).toBe(exited)
  })
})
