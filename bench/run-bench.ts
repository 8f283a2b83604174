/**
 * `bun run bench <scenario> [--json]`: runs one scenario from bench/scenarios/.
 * Benchmarks are not tests: they measure, print, and with --json end with one
 * JSON object of the named figures as the last line of stdout.
 */
import type { BenchScenario } from './harness/bench-scenario.ts'
import { machineInfo } from './harness/machine-info.ts'

const args = Bun.argv.slice(2)
const json = args.includes('--json')
const positional = args.filter((arg) => arg !== '--json')
const [name, ...rest] = positional
const glob = new Bun.Glob('*.bench.ts')
const available = [...glob.scanSync(`${import.meta.dir}/scenarios`)]
  .map((f) => f.replace('.bench.ts', ''))
  .sort()

if (!name || name === '--help' || name === '-h') {
  console.log(`Usage: bun run bench <scenario> [--json]\nScenarios: ${available.join(', ')}`)
  process.exit(name ? 0 : 2)
}
if (!available.includes(name)) {
  console.error(`unknown scenario '${name}'. Available: ${available.join(', ')}`)
  process.exit(2)
}
const module = (await import(`./scenarios/${name}.bench.ts`)) as { scenario: BenchScenario }
const log = (text: string) => (json ? console.error(text) : console.log(text))
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
