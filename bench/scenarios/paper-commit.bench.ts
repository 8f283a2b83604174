/**
 * `bun run bench paper-commit [--json] [--quick] [--n N]`: Figure 10 of the
 * BlendSPS paper on vigil's ledgers — commit latency distributions (CDF) of
 * CometBFT (4 validators) and Ethereum (anvil, 1 s interval mining),
 * sequential and concurrent, single-record and batched; N = 1,000 per series
 * (20 with --quick). See bench/paper/commit-experiment.ts for the method.
 * The Ethereum sequential series runs beside the CometBFT one (it mostly
 * waits for blocks); the concurrent series run one at a time.
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { round, summarize } from '../harness/stats.ts'
import { writeResults } from '../harness/write-results.ts'
import {
  type CommitSeries,
  cometbftSeries,
  ethereumSeries,
  startLedgers,
} from '../paper/commit-experiment.ts'
import { PAPER } from '../paper/paper-anchors.ts'
import { paperOptions, progressLog } from '../paper/paper-options.ts'
import { cdfPlot } from '../paper/paper-plots.ts'

/** Runs the six series and returns them. */
export async function runCommitSeries(log: (text: string) => void, n: number) {
  log('starting a 4-validator CometBFT localnet and anvil (1 s blocks)…')
  const ledgers = await startLedgers()
  try {
    log(`sequential single-record commits, n=${n} each (Ethereum: 20 streams, random block phase)…`)
    const [cometSeq, ethSeq] = await Promise.all([
      cometbftSeries(ledgers, 'sequential-single', n),
      ethereumSeries(ledgers, 'sequential-single', n),
    ])
    const series: CommitSeries[] = [cometSeq, ethSeq]
    for (const mode of ['concurrent-single', 'concurrent-batched'] as const) {
      log(`${mode} commits, ${n} at once, CometBFT then Ethereum…`)
      series.push(await cometbftSeries(ledgers, mode, n))
      series.push(await ethereumSeries(ledgers, mode, n))
    }
    return series
  } finally {
    await ledgers.stop()
  }
}

/** The headline figures and the per-series table. */
export function commitFigures(series: readonly CommitSeries[]) {
  const table = series.map((s) => ({ ledger: s.ledger, mode: s.mode, ...summarize(s.latenciesMs) }))
  const find = (ledger: string, mode: string) =>
    table.find((row) => row.ledger === ledger && row.mode === mode)
  const comet = find('cometbft', 'sequential-single')
  const eth = find('ethereum', 'sequential-single')
  return {
    cometbft_commit_p50_ms: round(comet?.p50 ?? Number.NaN, 1),
    cometbft_commit_p99_ms: round(comet?.p99 ?? Number.NaN, 1),
    eth_commit_p50_ms: round(eth?.p50 ?? Number.NaN, 1),
    eth_commit_p99_ms: round(eth?.p99 ?? Number.NaN, 1),
    cometbft_speedup_vs_paper_median: round(PAPER.tendermintCommitMedianMs / (comet?.p50 ?? 1), 1),
    eth_speedup_vs_paper_median: round(PAPER.ethCommitMedianMs / (eth?.p50 ?? 1), 2),
    commit_series: table.map((row) => ({
      ledger: row.ledger,
      mode: row.mode,
      n: row.n,
      p50_ms: round(row.p50, 1),
      p99_ms: round(row.p99, 1),
      mean_ms: round(row.mean, 1),
      max_ms: round(row.max, 1),
    })),
  }
}

export const scenario: BenchScenario = {
  name: 'paper-commit',
  description:
    'paper Fig. 10: CometBFT vs Ethereum commit latency CDFs, sequential/concurrent, single/batched',
  async run({ log, args }) {
    const options = paperOptions(args)
    const progress = progressLog(log)
    const series = await runCommitSeries(progress, options.n)
    const figures = commitFigures(series)
    for (const row of figures.commit_series) {
      progress(
        `  ${row.ledger.padEnd(8)} ${row.mode.padEnd(19)} n=${row.n} p50 ${row.p50_ms} ms p99 ${row.p99_ms} ms mean ${row.mean_ms} ms`,
      )
    }
    progress(
      `paper: Tendermint median ${PAPER.tendermintCommitMedianMs} ms (vigil ${figures.cometbft_speedup_vs_paper_median}× faster), Ethereum median ${PAPER.ethCommitMedianMs} ms (vigil ${figures.eth_speedup_vs_paper_median}× faster)`,
    )
    const plot = cdfPlot(
      `Commit latency CDF (n=${options.n} per series)`,
      series.map((s) => ({ label: `${s.ledger} ${s.mode}`, samples: s.latenciesMs })),
    )
    const written = await writeResults(
      'paper-commit',
      { series, figures },
      { 'fig10-commit-cdf': plot },
    )
    progress(`wrote ${written.json} and ${Object.values(written.svgs).join(', ')}`)
    return { ...figures, n: options.n, results: written }
  },
}
