/**
 * `bun run bench faults [<fault>…] [--json]`: the fault and abuse suite at
 * full scale (docs/reliability.md). With no fault named, every fault in
 * bench/faults/index.ts runs in turn; the figures of all of them are merged
 * into one object.
 */
import { faultRuns } from '../faults/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'

export const scenario: BenchScenario = {
  name: 'faults',
  description: 'fault and abuse suite: crashes, host kills, validator faults, fuzzing, overload',
  async run(context) {
    // Fault names; a flag's value (`--seconds 10`) is not one.
    const named = context.args.filter(
      (arg, i) => !arg.startsWith('--') && !context.args[i - 1]?.startsWith('--'),
    )
    const unknown = named.filter((name) => !faultRuns.some((fault) => fault.name === name))
    if (unknown.length > 0) {
      const known = faultRuns.map((fault) => fault.name).join(', ')
      throw new Error(`unknown fault '${unknown.join("', '")}'. Available: ${known}`)
    }
    const selected = named.length > 0 ? faultRuns.filter((f) => named.includes(f.name)) : faultRuns
    const figures: Record<string, unknown> = {}
    for (const fault of selected) {
      context.log(`## ${fault.name}: ${fault.description}`)
      Object.assign(figures, await fault.run(context))
    }
    return figures
  },
}
