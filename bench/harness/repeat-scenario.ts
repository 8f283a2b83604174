/**
 * `bun run bench <scenario> --runs N`: the scenario N times, one after another, each in a fresh
 * `bun bench/run-bench.ts <scenario> --json` process (no JIT, heap or leftover state carried from
 * one run to the next), its log on this process's stderr; answers each run's figures.
 */
import { runJsonChild } from './run-json-child.ts'

const RUN_BENCH = new URL('../run-bench.ts', import.meta.url).pathname

/** Runs scenario `name` with `args` `runs` times; throws when a run exits non-zero. */
export async function repeatScenario(
  name: string,
  args: readonly string[],
  runs: number,
  log: (line: string) => void,
): Promise<Record<string, unknown>[]> {
  const figures: Record<string, unknown>[] = []
  for (let run = 1; run <= runs; run++) {
    log(`# run ${run} of ${runs}`)
    figures.push(
      await runJsonChild<Record<string, unknown>>(
        [RUN_BENCH, name, '--json', ...args],
        `run ${run} of ${runs} of '${name}'`,
        { showLog: true },
      ),
    )
  }
  return figures
}
