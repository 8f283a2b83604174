/**
 * The figures of several runs of one scenario as one object: each numeric figure is the median
 * over the runs (the middle value, or the mean of the two middle ones), and `spread` gives the
 * lowest, highest and every value of each figure that varied. Anything not numeric in every run
 * (names, settings, the machine) is the first run's.
 */
import { median } from '../../runtime/index.ts'

/** One figure's spread over the runs, in run order. */
export type FigureSpread = { min: number; max: number; values: number[] }

export type RunsSummary = Record<string, unknown> & {
  runs: number
  spread: Record<string, FigureSpread>
}

/** Medians and spreads of `runs` (at least one run's figures). */
export function summarizeRuns(runs: readonly Record<string, unknown>[]): RunsSummary {
  const [first] = runs
  if (!first) throw new Error('summarizeRuns needs the figures of at least one run')
  const summary: Record<string, unknown> = { ...first }
  const spread: Record<string, FigureSpread> = {}
  for (const key of Object.keys(first)) {
    const values = runs.map((run) => run[key])
    if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) continue
    summary[key] = median(values)
    const min = Math.min(...values)
    const max = Math.max(...values)
    if (min !== max) spread[key] = { min, max, values }
  }
  return { ...summary, runs: runs.length, spread }
}
