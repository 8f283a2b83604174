/**
 * The Vega-Lite specifications of the paper's figures as vigil draws them:
 * data rows in, a spec out (bench/harness/render-plot.ts renders it).
 */
import type { PlotSpec } from '../harness/render-plot.ts'
import { cdf } from '../harness/stats.ts'

const SIZE = { width: 420, height: 260 }

/** Empirical CDFs, one line per series (Figure 10). */
export function cdfPlot(
  title: string,
  series: readonly { label: string; samples: readonly number[] }[],
  unit = 'ms',
): PlotSpec {
  const values = series.flatMap(({ label, samples }) =>
    cdf(samples, 150).map((point) => ({ series: label, ...point })),
  )
  return {
    title,
    ...SIZE,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 'value',
        type: 'quantitative',
        title: `commit latency (${unit}, log)`,
        scale: { type: 'log' },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of commits ≤ x' },
      color: { field: 'series', type: 'nominal', title: null },
    },
  }
}

/** Lines over a log x axis: one line per `series` value (Figures 7 and 8). */
export function linePlot(options: {
  title: string
  rows: readonly Record<string, unknown>[]
  x: { field: string; title: string; log?: boolean }
  y: { field: string; title: string; log?: boolean }
  series: string
  dash?: string | undefined
}): PlotSpec {
  const scale = (log?: boolean) => (log ? { type: 'log' } : { zero: false })
  return {
    title: options.title,
    ...SIZE,
    data: { values: options.rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: options.x.field,
        type: 'quantitative',
        title: options.x.title,
        scale: scale(options.x.log),
      },
      y: {
        field: options.y.field,
        type: 'quantitative',
        title: options.y.title,
        scale: scale(options.y.log),
      },
      color: { field: options.series, type: 'nominal', title: null },
      ...(options.dash
        ? { strokeDash: { field: options.dash, type: 'nominal', title: null } }
        : {}),
    },
  }
}

/** Grouped bars: `x` categories, one bar per `group` (Figures 6 and 9, Table 2). */
export function barPlot(options: {
  title: string
  rows: readonly Record<string, unknown>[]
  x: { field: string; title: string | null }
  y: { field: string; title: string; log?: boolean }
  group: string
}): PlotSpec {
  return {
    title: options.title,
    ...SIZE,
    data: { values: options.rows },
    mark: 'bar',
    encoding: {
      x: { field: options.x.field, type: 'nominal', title: options.x.title },
      xOffset: { field: options.group },
      y: {
        field: options.y.field,
        type: 'quantitative',
        title: options.y.title,
        ...(options.y.log ? { scale: { type: 'log' } } : {}),
      },
      color: { field: options.group, type: 'nominal', title: null },
    },
  }
}
