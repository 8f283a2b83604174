/**
 * `bun run bench <scenario> [--json] [--runs N]`: runs one scenario from bench/scenarios/.
 * Benchmarks are not tests: they measure, print, and with --json end with one
 * JSON object of the named figures as the last line of stdout. With `--runs N` the scenario
 * runs N times, each in its own process, and the figures are the medians over the runs, with
 * `runs` and `spread` (lowest, highest and every value of each figure that varied).
 */
import type { BenchScenario } from './harness/bench-scenario.ts'
import { machineInfo } from './harness/machine-info.ts'

const args = Bun.argv.slice(2)
const json = args.includes('--json')
const runsAt = args.indexOf('--runs')
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1
const runsArgs = runsAt >= 0 ? [runsAt, runsAt + 1] : []
const positional = args.filter((arg, i) => arg !== '--json' && !runsArgs.includes(i))
const [name, ...rest] = positional
const glob = new Bun.Glob('*.bench.ts')
const available = [...glob.scanSync(`${import.meta.dir}/scenarios`)]
  .map((f) => f.replace('.bench.ts', ''))
  .sort()

if (!name || name === '--help' || name === '-h') {
  console.log(
    `Usage: bun run bench <scenario> [--json] [--runs N]\nScenarios: ${available.join(', ')}`,
  )
  process.exit(name ? 0 : 2)
}
if (!available.includes(name)) {
  console.error(`unknown scenario '${name}'. Available: ${available.join(', ')}`)
  process.exit(2)
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs takes a whole number ≥ 1 (got ${args[runsAt + 1] ?? 'nothing'})`)
  process.exit(2)
}
const log = (text: string) => (json ? console.error(text) : console.log(text))
if (runs > 1) {
  // Loaded only here: summarizeRuns takes the runtime's median, and a single run should not pay
  // for importing the runtime before its scenario does.
  const { repeatScenario } = await import('./harness/repeat-scenario.ts')
  const { summarizeRuns } = await import('./harness/summarize-runs.ts')
  const summary = summarizeRuns(await repeatScenario(name, rest, runs, console.error))
  console.log(json ? JSON.stringify(summary) : JSON.stringify(summary, null, 2))
  process.exit(0)
}
const module = (await import(`./scenarios/${name}.bench.ts`)) as { scenario: BenchScenario }
const machine = machineInfo()
log(`# bench ${name}: ${module.scenario.description}`)
log(
  `# ${machine.cpu} × ${machine.cores}, ${machine.memory_gb} GiB, bun ${machine.bun}, ${machine.commit}`,
)
const figures = await module.scenario.run({ log, args: rest, json })
if (json) {
  console.log(JSON.stringify({ scenario: name, ...figures, machine }))
} else {
  console.log(JSON.stringify(figures, null, 2))
}
process.exit(0)
