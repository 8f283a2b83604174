import { describe, expect, test } from 'bun:test'
import { TestClock } from '../clock/test-clock.ts'
import { restartBackoffMs } from './restart-backoff.ts'
import { RestartIntensity } from './restart-intensity.ts'
import { childrenToRestart } from './restart-strategy.ts'
import { SupervisionTree } from './supervision-tree.ts'

describe('childrenToRestart', () => {
  const children = ['a', 'b', 'c', 'd']
  test('restarts only the failed child under one_for_one', () => {
    expect(childrenToRestart('one_for_one', children, 'b')).toEqual(['b'])
  })
  test('restarts every child under one_for_all', () => {
    expect(childrenToRestart('one_for_all', children, 'b')).toEqual(['a', 'b', 'c', 'd'])
  })
  test('restarts the failed child and the ones started after it under rest_for_one', () => {
    expect(childrenToRestart('rest_for_one', children, 'b')).toEqual(['b', 'c', 'd'])
  })
  test('restarts nothing for a name that is not a child', () => {
    expect(childrenToRestart('one_for_all', children, 'x')).toEqual([])
  })
})

describe('RestartIntensity', () => {
  test('allows intensity restarts per sliding period and refuses one more', () => {
    const limit = new RestartIntensity({ intensity: 2, periodMs: 1000 })
    expect(limit.tryRecord(0)).toBe(true)
    expect(limit.tryRecord(10)).toBe(true)
    expect(limit.tryRecord(20)).toBe(false)
    expect(limit.recent(20)).toBe(2)
  })
  test('forgets restarts older than the period', () => {
    const limit = new RestartIntensity({ intensity: 1, periodMs: 1000 })
    expect(limit.tryRecord(0)).toBe(true)
    expect(limit.tryRecord(999)).toBe(false)
    expect(limit.tryRecord(1000)).toBe(true)
  })
  test('never allows a restart with intensity 0', () => {
    expect(new RestartIntensity({ intensity: 0, periodMs: 1000 }).tryRecord(0)).toBe(false)
  })
})

describe('restartBackoffMs', () => {
  const options = { minMs: 10, maxMs: 100 }
  test('restarts at once the first time, then doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => restartBackoffMs(n, options))).toEqual([
      0, 10, 20, 40, 80, 100, 100,
    ])
  })
})

describe('SupervisionTree backoff', () => {
  function tree() {
    const delays: Record<string, number[]> = {}
    const supervision = new SupervisionTree({
      clock: new TestClock(),
      backoff: { minMs: 10, maxMs: 5000 },
      root: { strategy: 'one_for_one', intensity: 100, periodMs: 10_000 },
      emit: (event) => {
        if (event.type === 'supervisor.restarting') {
          delays[event.supervisor] = [...(delays[event.supervisor] ?? []), event.delayMs]
        }
      },
      restartActor: () => {},
      failActor: () => {},
    })
    return { supervision, delays }
  }

  test('restarts at once every time under a supervisor whose backoff is 0, and backs off elsewhere', () => {
    const { supervision, delays } = tree()
    supervision.addSupervisor(
      'faults',
      { backoff: { minMs: 0 } },
      { intensity: 100, periodMs: 10_000 },
    )
    supervision.addActor('a', 'faults')
    supervision.addActor('b', 'root')
    for (let i = 0; i < 4; i++) {
      supervision.actorFailed('a')
      supervision.actorFailed('b')
    }
    expect(delays).toEqual({ faults: [0, 0, 0, 0], root: [0, 10, 20, 40] })
  })
})
