/**
 * Where a scenario leaves its raw series and plots:
 * `bench/results/<scenario>/<timestamp>.json` and
 * `bench/results/<scenario>/<timestamp>-<plot>.svg` (git-ignored), so a run
 * can be re-plotted or compared later. Returns the paths written.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type PlotSpec, renderPlot } from './render-plot.ts'

export const RESULTS_DIR = join(import.meta.dir, '..', 'results')

export type WrittenResults = { json: string; svgs: Record<string, string> }

/** Writes `series` as JSON and each plot as SVG under the scenario's results folder. */
export async function writeResults(
  scenario: string,
  series: unknown,
  plots: Readonly<Record<string, PlotSpec>>,
  dir = RESULTS_DIR,
): Promise<WrittenResults> {
  const folder = join(dir, scenario)
  await mkdir(folder, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const json = join(folder, `${stamp}.json`)
  await Bun.write(json, JSON.stringify(series, null, 1))
  const svgs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(plots)) {
    const path = join(folder, `${stamp}-${name}.svg`)
    await Bun.write(path, await renderPlot(spec))
    svgs[name] = path
  }
  return { json, svgs }
}
