import { describe, expect, test } from 'bun:test'
import { summarizeRuns } from './summarize-runs.ts'

describe('summarizeRuns', () => {
  test('answers the median of each numeric figure and the spread of those that varied', () => {
    const summary = summarizeRuns([
      { rate: 18_000, p50: 250, lanes: 2 },
      { rate: 15_000, p50: 300, lanes: 2 },
      { rate: 21_000, p50: 240, lanes: 2 },
    ])
    expect(summary.rate).toBe(18_000)
    expect(summary.p50).toBe(250)
    expect(summary.lanes).toBe(2)
    expect(summary.runs).toBe(3)
    expect(summary.spread).toEqual({
      rate: { min: 15_000, max: 21_000, values: [18_000, 15_000, 21_000] },
      p50: { min: 240, max: 300, values: [250, 300, 240] },
    })
  })

  test('takes the mean of the two middle values for an even number of runs', () => {
    expect(summarizeRuns([{ x: 1 }, { x: 10 }, { x: 4 }, { x: 6 }]).x).toBe(5)
  })

  test('keeps the first run’s value of a figure that is not a finite number in every run', () => {
    const summary = summarizeRuns([
      { scenario: 'integrity', machine: { cores: 2 }, ratio: 1.5 },
      { scenario: 'integrity', machine: { cores: 2 }, ratio: null },
    ])
    expect(summary.scenario).toBe('integrity')
    expect(summary.machine).toEqual({ cores: 2 })
    expect(summary.ratio).toBe(1.5)
    expect(summary.spread).toEqual({})
  })

  test('refuses to summarize no runs', () => {
    expect(() => summarizeRuns([])).toThrow('at least one run')
  })
})
