/**
 * `bun run bench cometbft [--json] [--loads 5000,20000,…] [--seconds S] [--samples N]`
 *
 * A 4-validator CometBFT localnet running vigil's ABCI app, measured two ways:
 * 1. single-record commit latency, unbatched (one tx per record, waited for
 *    one after another: the prototype's way) → commit_p50_ms, commit_p99_ms;
 * 2. records/s committed with receipts under Merkle batching, at increasing
 *    offered loads (open loop) → records_per_s (best sustained) and
 *    batched_commit_p50_ms (submit → receipt, at that load).
 * Also the peak RSS of validators and ABCI apps and their CPU use. The
 * prototype's anchors (3.64 s mean commit, ~60 TPS on Tendermint) are printed
 * beside our figures with the ratio.
 */

import type { LedgerRecord } from '../../ledger/index.ts'
import {
  createCometbftLedger,
  type Localnet,
  startLocalnet,
  TX_CODES,
  verifyReceipt,
} from '../../ledger/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { cpuSeconds, rssMb } from '../harness/process-usage.ts'
import { mean, percentile, round } from '../harness/stats.ts'

/** The prototype's published figures (BlendSPS, Tendermint, 21 validators). */
const ANCHORS = { commit_mean_ms: 3640, tps: 60 }

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? args[index + 1] : undefined
}

function featureRecord(run: string, i: number): LedgerRecord {
  // A feature hash: 32 bytes of data, like the ENF/feature digests actors write.
  const data = Bun.SHA256.hash(`${run}/${i}`, 'hex')
  return { kind: 'feature_hash', key: `bench/${run}/cam-${i % 16}/${i}`, dataHex: data }
}

type Log = (line: string) => void
type Signer = Localnet['nodeKeys'][number]
type Pids = ReturnType<Localnet['pids']>

type LoadResult = {
  offered: number
  committed: number
  recordsPerS: number
  p50: number
  p99: number
  rejected: number
  backpressure: number
  /** CPU per committed record during this load, µs, summed over each group's processes. */
  cpuUs: { validators: number; apps: number; client: number }
}

/** Unbatched single-record commits, one at a time, each receipt verified. */
async function measureSingleCommits(
  log: Log,
  net: Localnet,
  signer: Signer,
  runId: string,
  samples: number,
) {
  const single = await createCometbftLedger({
    rpcUrls: net.rpcUrls,
    signer,
    batchSize: 1,
    flushIntervalMs: 0,
  })
  for (let i = 0; i < 10; i++) await single.commit(featureRecord(`${runId}-warm`, i))
  const latencies: number[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    const receipt = await single.commit(featureRecord(`${runId}-single`, i))
    latencies.push(performance.now() - started)
    if (!verifyReceipt(receipt).valid) throw new Error('an unbatched receipt failed verification')
  }
  await single.close()
  const commitMean = mean(latencies)
  log(`\n## single-record commit (unbatched, sequential, n=${samples})`)
  log(
    `p50 ${round(percentile(latencies, 50), 1)} ms   p99 ${round(percentile(latencies, 99), 1)} ms   mean ${round(commitMean, 1)} ms`,
  )
  log(
    `prototype mean ${ANCHORS.commit_mean_ms} ms → ${round(ANCHORS.commit_mean_ms / commitMean, 1)}× faster`,
  )
  return { latencies, commitMean }
}

/** CPU seconds used so far, summed over the validators, over the apps, and by this process. */
function cpuMeter(pids: Pids) {
  const cpuNow = () => {
    const client = process.cpuUsage()
    return {
      validators: pids.validators.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      apps: pids.apps.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      client: (client.user + client.system) / 1e6,
    }
  }
  const cpuSince = (before: ReturnType<typeof cpuNow>) => {
    const now = cpuNow()
    return {
      validators: now.validators - before.validators,
      apps: now.apps - before.apps,
      client: now.client - before.client,
    }
  }
  return { cpuNow, cpuSince }
}

/** One open-loop load of `offered` records/s for `seconds`, batched, a sample of receipts verified. */
async function runLoad(
  net: Localnet,
  signer: Signer,
  run: string,
  offered: number,
  seconds: number,
  meter: ReturnType<typeof cpuMeter>,
): Promise<LoadResult> {
  const { cpuNow, cpuSince } = meter
  const ledger = await createCometbftLedger({
    rpcUrls: net.rpcUrls,
    signer,
    batchSize: 4096,
    flushIntervalMs: 20,
    maxInFlightTxs: 8,
    maxPendingRecords: Math.max(50_000, offered * 2),
  })
  const batchLatencies: number[] = []
  let committed = 0
  let rejected = 0
  let backpressure = 0
  let lastDone = 0
  const pending: Promise<void>[] = []
  const loadCpu = cpuNow()
  const started = performance.now()
  const total = Math.round(offered * seconds)
  const tickMs = 10
  let sent = 0
  let sample = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * offered))
    for (; sent < due; sent++) {
      const submitted = performance.now()
      const record = featureRecord(run, sent)
      pending.push(
        ledger.commit(record).then(
          (receipt) => {
            const now = performance.now()
            batchLatencies.push(now - submitted)
            committed++
            lastDone = now
            // Check a sample of receipts offline, so "with receipts" is real.
            if (sample++ % 97 === 0 && !verifyReceipt(receipt).valid)
              throw new Error('a batched receipt failed verification')
          },
          (error: unknown) => {
            if ((error as { code?: string }).code === 'LEDGER_BACKPRESSURE') backpressure++
            else if ((error as { meta?: { code?: number } }).meta?.code !== TX_CODES.OK) rejected++
          },
        ),
      )
    }
    await Bun.sleep(tickMs)
  }
  await Promise.all(pending)
  const used = cpuSince(loadCpu)
  await ledger.close()
  const perRecordUs = (cpuS: number) => round((cpuS * 1e6) / Math.max(1, committed), 1)
  const cpuUs = {
    validators: perRecordUs(used.validators),
    apps: perRecordUs(used.apps),
    client: perRecordUs(used.client),
  }
  const elapsedS = Math.max(seconds, (lastDone - started) / 1000)
  return {
    offered,
    committed,
    recordsPerS: committed / elapsedS,
    p50: percentile(batchLatencies, 50),
    p99: percentile(batchLatencies, 99),
    rejected,
    backpressure,
    cpuUs,
  }
}

/** The figures: single commits, the best and the highest sustained load, RSS and CPU. */
function summarize(
  results: LoadResult[],
  single: { latencies: number[]; commitMean: number },
  pids: Pids,
  phase: { seconds: number; used: { validators: number; apps: number; client: number } },
) {
  const { latencies, commitMean } = single
  const phaseSeconds = phase.seconds
  const phaseUsed = phase.used
  const cpuPct = (cpuS: number, processes: number) =>
    round((100 * cpuS) / phaseSeconds / Math.max(1, processes), 1)
  const best = results.reduce((a, b) => (b.recordsPerS > a.recordsPerS ? b : a))
  // The highest load the network kept up with (≥ 90 % committed, no backpressure): its latency is
  // the batched commit latency worth quoting; beyond it, latency is queueing.
  const sustained =
    [...results].reverse().find((r) => r.backpressure === 0 && r.recordsPerS >= 0.9 * r.offered) ??
    (results[0] as LoadResult)
  const validatorRss = pids.validators.map((pid) => rssMb(pid).peak)
  const appRss = pids.apps.map((pid) => rssMb(pid).peak)
  const figures = {
    commit_p50_ms: round(percentile(latencies, 50), 1),
    commit_p99_ms: round(percentile(latencies, 99), 1),
    commit_mean_ms: round(commitMean, 1),
    records_per_s: round(best.recordsPerS, 0),
    records_per_s_sustained: round(sustained.recordsPerS, 0),
    batched_commit_p50_ms: round(sustained.p50, 1),
    batched_commit_p99_ms: round(sustained.p99, 1),
    batched_offered_per_s: sustained.offered,
    validator_rss_mb: round(mean(validatorRss), 1),
    abci_rss_mb: round(mean(appRss), 1),
    validator_cpu_pct: cpuPct(phaseUsed.validators, pids.validators.length),
    abci_cpu_pct: cpuPct(phaseUsed.apps, pids.apps.length),
    client_cpu_pct: cpuPct(phaseUsed.client, 1),
    // At the best load: CPU µs per committed record, summed over the 4 validators / 4 apps.
    cpu_us_per_record_validators: best.cpuUs.validators,
    cpu_us_per_record_apps: best.cpuUs.apps,
    cpu_us_per_record_client: best.cpuUs.client,
    loads: results.map((r) => ({
      offered: r.offered,
      records_per_s: round(r.recordsPerS, 0),
      p50_ms: round(r.p50, 1),
      p99_ms: round(r.p99, 1),
      backpressure: r.backpressure,
      cpu_us_per_record: r.cpuUs,
    })),
    anchor_commit_mean_ms: ANCHORS.commit_mean_ms,
    anchor_tps: ANCHORS.tps,
    commit_speedup_vs_anchor: round(ANCHORS.commit_mean_ms / commitMean, 1),
    throughput_ratio_vs_anchor: round(best.recordsPerS / ANCHORS.tps, 1),
  }
  return { figures, sustained }
}

/** Prints the comparison with the prototype and the resource use. */
function printComparison(
  log: Log,
  figures: ReturnType<typeof summarize>['figures'],
  sustained: LoadResult,
) {
  log('\n## against the prototype (BlendSPS, Tendermint)')
  log('| figure | prototype | vigil | ratio |')
  log('|---|---:|---:|---:|')
  log(
    `| mean commit latency | ${ANCHORS.commit_mean_ms} ms | ${figures.commit_mean_ms} ms | ${figures.commit_speedup_vs_anchor}× faster |`,
  )
  log(
    `| throughput | ~${ANCHORS.tps} tx/s | ${figures.records_per_s} records/s | ${figures.throughput_ratio_vs_anchor}× |`,
  )
  log(
    `batched commit latency at ${sustained.offered}/s offered (highest load kept up with): p50 ${figures.batched_commit_p50_ms} ms, p99 ${figures.batched_commit_p99_ms} ms`,
  )
  log(`client (this process): CPU ${figures.client_cpu_pct}% of a core`)
  log(
    `validators: peak RSS ${figures.validator_rss_mb} MiB, CPU ${figures.validator_cpu_pct}% of a core each; ABCI apps: peak RSS ${figures.abci_rss_mb} MiB, CPU ${figures.abci_cpu_pct}% each`,
  )
}

export const scenario: BenchScenario = {
  name: 'cometbft',
  description:
    'CometBFT ledger: single-record commit latency and batched records/s with receipts, 4 validators',
  async run({ log, args }) {
    const loads = (argValue(args, 'loads') ?? '5000,20000,40000,60000,80000,100000')
      .split(',')
      .map(Number)
    const seconds = Number(argValue(args, 'seconds') ?? '4')
    const samples = Number(argValue(args, 'samples') ?? '200')
    const runId = Date.now().toString(36)

    log('# starting a 4-validator localnet')
    await using net = await startLocalnet({ validators: 4 })
    const signer = net.nodeKeys[0]
    if (!signer) throw new Error('localnet has no node key')

    const single = await measureSingleCommits(log, net, signer, runId, samples)

    // --- 2. batched, open loop at increasing offered loads -----------------------------------
    const pids = net.pids()
    const meter = cpuMeter(pids)
    const phaseCpu = meter.cpuNow()
    const phaseStarted = performance.now()
    const results: LoadResult[] = []
    for (const offered of loads) {
      const result = await runLoad(net, signer, `${runId}-${offered}`, offered, seconds, meter)
      results.push(result)
      const { backpressure, rejected, cpuUs } = result
      log(
        `offered ${offered}/s → committed ${round(result.recordsPerS, 0)}/s with receipts; latency p50 ${round(result.p50, 0)} ms p99 ${round(result.p99, 0)} ms; backpressure ${backpressure}, rejected ${rejected}; CPU per record ${cpuUs.validators} µs validators + ${cpuUs.apps} µs apps + ${cpuUs.client} µs client`,
      )
    }
    const phase = {
      seconds: (performance.now() - phaseStarted) / 1000,
      used: meter.cpuSince(phaseCpu),
    }
    const { figures, sustained } = summarize(results, single, pids, phase)
    printComparison(log, figures, sustained)
    return figures
  },
}
