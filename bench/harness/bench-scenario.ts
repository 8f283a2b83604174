/**
 * A benchmark scenario: `bun run bench <name> [--json]`. `run` prints its
 * readable report through `log` and returns the named figures; with --json
 * the runner prints them as one JSON object on the last line.
 */
export type BenchContext = {
  /** Human-readable progress and tables (stderr when --json, so stdout ends in the JSON line). */
  log: (text: string) => void
  /** Scenario arguments after the name, without --json. */
  args: string[]
  json: boolean
}

export type BenchScenario = {
  name: string
  description: string
  run: (context: BenchContext) => Promise<Record<string, unknown>>
}
