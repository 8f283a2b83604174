import type { BenchContext } from '../harness/bench-scenario.ts'

/**
 * One fault of `bun run bench faults`: a name (selectable with
 * `bun run bench faults <name>…`) and a run that drives the fault at full
 * scale, logs its readable report and returns its named figures.
 */
export type FaultRun = {
  name: string
  description: string
  run: (context: BenchContext) => Promise<Record<string, unknown>>
}
