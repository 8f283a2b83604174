/**
 * `bun run bench paper-resources [--json] [--quick] [--n N]`: Table 2 of the
 * BlendSPS paper on vigil — CPU (% of one core) and RSS of a CometBFT
 * validator, an ABCI app (vigil's, in Bun), the Ethereum node (anvil) and the
 * fog and edge host processes (each running the security-service actor), at
 * idle and during a commit experiment (concurrent single-record and batched
 * commits on both ledgers, bench/paper/commit-experiment.ts; N records each,
 * default 1,000, 50 with --quick). Figures are per process (group means).
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { writeResults } from '../harness/write-results.ts'
import { cometbftSeries, ethereumSeries, startLedgers } from '../paper/commit-experiment.ts'
import { monoActor, startPaperDomain } from '../paper/paper-domain.ts'
import { numberOption, paperOptions, progressLog } from '../paper/paper-options.ts'
import { barPlot } from '../paper/paper-plots.ts'
import { type GroupUsage, measureUsage } from '../paper/resource-sampler.ts'

/** The paper's Table 2 (Raspberry Pi, Tendermint and geth clients), for the comparison in the docs. */
const PAPER_NOTE = 'paper Table 2: Tendermint and geth clients on a Raspberry Pi'

export const scenario: BenchScenario = {
  name: 'paper-resources',
  description:
    'paper Table 2: CPU and RSS of validator, ABCI app, anvil, fog and edge hosts, idle and committing',
  async run({ log, args }) {
    const options = paperOptions(args)
    const n = Math.round(numberOption(args, 'n', options.quick ? 50 : 1000))
    const progress = progressLog(log)
    progress('starting a 4-validator localnet, anvil, and a fog + edge host domain…')
    const ledgers = await startLedgers()
    const paper = await startPaperDomain({
      edges: 1,
      actors: [monoActor('mono-fog', 'fog'), monoActor('mono-edge', 'edge')],
      ready: { 'mono-fog': 'fog-1', 'mono-edge': 'edge-1' },
    }).catch(async (error) => {
      await ledgers.stop()
      throw error
    })
    try {
      const pids = ledgers.net.pids()
      const groups = {
        'cometbft validator': pids.validators,
        'abci app': pids.apps,
        'anvil (ethereum)': [ledgers.chain.anvil.process.pid],
        'fog host': [paper.domain.hosts.get('fog-1')?.process.pid as number],
        'edge host': [paper.domain.hosts.get('edge-1')?.process.pid as number],
      }
      const idleSeconds = options.quick ? 1.5 : 5
      progress(`idle for ${idleSeconds} s…`)
      const idle = await measureUsage(groups, () => Bun.sleep(idleSeconds * 1000))
      progress(`committing ${n} records concurrently, single and batched, on both ledgers…`)
      const busy = await measureUsage(groups, async () => {
        for (const mode of ['concurrent-single', 'concurrent-batched'] as const) {
          await Promise.all([cometbftSeries(ledgers, mode, n), ethereumSeries(ledgers, mode, n)])
        }
      })
      const table = [
        ...idle.usage.map((u) => ({ phase: 'idle', ...u })),
        ...busy.usage.map((u) => ({ phase: 'commit', ...u })),
      ]
      for (const row of table)
        progress(
          `${row.phase.padEnd(6)} ${row.group.padEnd(18)} CPU ${row.cpu_pct} % of a core, RSS ${row.rss_mb} MiB (peak ${row.rss_peak_mb})`,
        )
      const of = (phase: string, group: string) =>
        table.find((r) => r.phase === phase && r.group === group) as GroupUsage
      const plots = {
        'table2-cpu': barPlot({
          title: 'CPU per process (% of one core)',
          rows: table,
          x: { field: 'group', title: null },
          y: { field: 'cpu_pct', title: '% of one core' },
          group: 'phase',
        }),
        'table2-rss': barPlot({
          title: 'Resident memory per process (MiB)',
          rows: table,
          x: { field: 'group', title: null },
          y: { field: 'rss_mb', title: 'RSS (MiB)' },
          group: 'phase',
        }),
      }
      const written = await writeResults('paper-resources', { table, n, note: PAPER_NOTE }, plots)
      progress(`wrote ${written.json}`)
      return {
        validator_cpu_pct_commit: of('commit', 'cometbft validator').cpu_pct,
        validator_rss_mb: of('commit', 'cometbft validator').rss_mb,
        abci_cpu_pct_commit: of('commit', 'abci app').cpu_pct,
        abci_rss_mb: of('commit', 'abci app').rss_mb,
        anvil_cpu_pct_commit: of('commit', 'anvil (ethereum)').cpu_pct,
        anvil_rss_mb: of('commit', 'anvil (ethereum)').rss_mb,
        edge_host_rss_mb_idle: of('idle', 'edge host').rss_mb,
        edge_host_cpu_pct_idle: of('idle', 'edge host').cpu_pct,
        resources: table,
        results: written,
      }
    } finally {
      await paper.stop()
      await ledgers.stop()
    }
  },
}
