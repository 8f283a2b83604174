/**
 * `bun run bench faults validator [--rate R] [--phase-s S] [--halt-s H] [--query-every N]`:
 * records offered at R/s (default 10,000) to the CometBFT ledger client of a
 * 4-validator localnet while 1 of 4 validators is stopped and started again,
 * then 2 of 4 (the chain halts). Each phase lasts until S seconds' worth of
 * records (default 5) are acknowledged; the halt lasts H seconds of offered
 * records (default 5). Afterwards every acknowledged record is checked on the
 * chain (its proof offline and its leaf in the committed batch row; one tx
 * proof per batch) and queried back by key (every N-th, default every 50th: a
 * key query rebuilds its batch's Merkle path in the app, and querying all
 * ~350,000 took longer than the run), and the 4 nodes' block and app hashes
 * are compared at every height. The schedule and the checks are ledger/testing's validator fault run.
 */
import { startLocalnet } from '../../ledger/index.ts'
import { runValidatorFaults } from '../../ledger/testing/index.ts'
import type { BenchContext } from '../harness/bench-scenario.ts'
import { round } from '../harness/stats.ts'
import type { FaultRun } from './fault-run.ts'

function numberArg(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`)
  const value = index >= 0 ? Number(args[index + 1]) : fallback
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} takes a positive number, got '${args[index + 1]}'`)
  return value
}

async function run({ args, log }: BenchContext): Promise<Record<string, unknown>> {
  const rate = numberArg(args, 'rate', 10_000)
  const phaseS = numberArg(args, 'phase-s', 5)
  const haltS = numberArg(args, 'halt-s', 5)
  const queryEvery = Math.round(numberArg(args, 'query-every', 50))
  log(
    `# 4-validator localnet, ${rate} records/s offered; phases of ${phaseS} s, halt of ${haltS} s`,
  )
  await using net = await startLocalnet({ validators: 4 })
  const started = performance.now()
  const report = await runValidatorFaults({
    net,
    recordsPerS: rate,
    phaseRecords: Math.round(rate * phaseS),
    haltRecords: Math.round(rate * haltS),
    // As bench cometbft's client, with room to hold the records offered during the halt.
    ledger: {
      batchSize: 4096,
      flushIntervalMs: 20,
      maxInFlightTxs: 8,
      maxPendingRecords: Math.round(rate * (haltS + 30)),
      confirmTimeoutMs: 120_000,
    },
    queryEvery,
    waitMs: 120_000,
    log,
  })
  const failed = Object.entries(report.failedByCode)
  log(
    `offered ${report.offered}, acknowledged ${report.acknowledged}, lost ${report.lost}, ` +
      `failed ${failed.length === 0 ? 'none' : failed.map(([code, n]) => `${n} ${code}`).join(', ')}` +
      ` (${report.failedButCommitted} of them committed anyway), duplicated ${report.duplicated}`,
  )
  if (report.check.firstProblem) log(`first lost record: ${report.check.firstProblem}`)
  for (const [code, message] of Object.entries(report.firstErrors)) log(`${code}: ${message}`)
  log(
    `checked ${report.check.checked} receipts in ${report.check.batches} batches, ` +
      `${report.check.queried} queried back by key; ${report.agreement.heights} heights compared ` +
      `on 4 nodes: ${report.forkDetected ? `FORK at ${report.agreement.forkedHeights.join(', ')}` : 'no fork'}`,
  )
  log(
    `one down: caught up ${round(report.oneDownResumeMs, 0)} ms after its restart; ` +
      `two down: commits resumed ${round(report.twoDownResumeMs, 0)} ms after their restart; ` +
      `${round(report.commitRatePerS, 0)} records/s acknowledged over the run ` +
      `(${round((performance.now() - started) / 1000, 1)} s with the checks)`,
  )
  return {
    validator_fault_records_offered: report.offered,
    validator_fault_records_acknowledged: report.acknowledged,
    validator_fault_records_lost: report.lost,
    validator_fault_failed_typed: report.failedTyped,
    validator_fault_failed_untyped: report.failedUntyped,
    validator_fault_failed_but_committed: report.failedButCommitted,
    validator_fault_records_duplicated: report.duplicated,
    validator_fault_acknowledged_while_halted: report.acknowledgedWhileHalted,
    fork_detected: report.forkDetected,
    validator_one_down_resume_ms: round(report.oneDownResumeMs, 0),
    validator_two_down_resume_ms: round(report.twoDownResumeMs, 0),
    validator_fault_commit_rate_per_s: round(report.commitRatePerS, 0),
  }
}

export const validatorFaults: FaultRun = {
  name: 'validator',
  description:
    'validator faults under load: 1 then 2 of 4 CometBFT validators stopped and restarted at 10k records/s',
  run,
}
