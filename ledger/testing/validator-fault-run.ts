/**
 * The validator fault run (docs/reliability.md, "Validator faults"): records
 * offered at a fixed rate to the CometBFT ledger client of a 4-validator
 * localnet while, in turn,
 *
 * 1. the validator the client talks to is stopped (3 of 4 keep committing)
 *    and started again: the time until it has caught up is the one-down
 *    resume time;
 * 2. two validators are stopped: the chain halts (2 of 4 is no quorum; CometBFT
 *    is safe while fewer than 1/3 fail, live only with more than 2/3 up), seen
 *    in the live nodes' consensus state; records keep being offered, and the
 *    client must hold them, not acknowledge them; both validators are started
 *    again: the time until the first record committed above the halted height
 *    is acknowledged is the two-down resume time.
 *
 * Then the load stops, every outcome settles, and the run checks that every
 * acknowledged record is on the chain as its receipt says (acknowledged-check.ts),
 * that all 4 nodes agree on every block and app hash (chain-agreement.ts), and
 * that the records on the chain are exactly those acknowledged plus those
 * whose failure was reported after they had gone out (no duplicates). The same
 * run serves the small-scale test and `bun run bench faults validator`.
 */
import { waitFor } from '../../runtime/testing/index.ts'
import type { CometbftLedger, CometbftLedgerOptions, Localnet } from '../index.ts'
import { createCometbftLedger } from '../index.ts'
import { type AcknowledgedCheck, checkAcknowledged } from './acknowledged-check.ts'
import { type ChainAgreement, chainAgreement, levelHeight } from './chain-agreement.ts'
import { appStatus, haltedAbove, nodeStatus } from './node-status.ts'
import { RecordLoad } from './record-load.ts'

export type ValidatorFaultRunOptions = {
  /** A running 4-validator localnet; validators 0, 1 and 2 are stopped and started. */
  readonly net: Localnet
  readonly recordsPerS: number
  /** Records acknowledged before the first fault, while one is down, and after each return. */
  readonly phaseRecords: number
  /** Records offered while the chain is halted before the two validators come back. */
  readonly haltRecords: number
  /** Client settings over the run's defaults. */
  readonly ledger?: Partial<CometbftLedgerOptions> | undefined
  /** Query every n-th acknowledged record back by key (default 1: all). */
  readonly queryEvery?: number | undefined
  /** Longest any one condition is waited for, ms (default 60,000). */
  readonly waitMs?: number | undefined
  readonly log?: ((text: string) => void) | undefined
}

export type ValidatorFaultReport = {
  readonly offered: number
  readonly acknowledged: number
  /** Acknowledged records not on the chain as their receipt says. */
  readonly lost: number
  /** Failed with a vigil error code, by code. */
  readonly failedByCode: Readonly<Record<string, number>>
  /** The first error message per failure code, and when (ms since the load started). */
  readonly firstErrors: Readonly<Record<string, string>>
  readonly failedTyped: number
  readonly failedUntyped: number
  /** Failed after their batch had gone out, yet committed (the client could not know). */
  readonly failedButCommitted: number
  /** Records on the chain beyond those acknowledged or failed-but-committed, on any node. */
  readonly duplicated: number
  /** Records each node's app holds, and how many it should (before the run + acknowledged + failed-but-committed). */
  readonly recordsOnChain: readonly number[]
  readonly recordsExpected: number
  /** Acknowledgements of blocks above the halted height received while the chain was halted. */
  readonly acknowledgedWhileHalted: number
  readonly forkDetected: boolean
  readonly agreement: ChainAgreement
  readonly check: AcknowledgedCheck
  readonly oneDownResumeMs: number
  readonly twoDownResumeMs: number
  /** Acknowledged records per second over the whole run, faults included. */
  readonly commitRatePerS: number
}

/** Runs the schedule on `options.net` and reports what happened. */
export async function runValidatorFaults(
  options: ValidatorFaultRunOptions,
): Promise<ValidatorFaultReport> {
  const { net } = options
  const ledger = await createCometbftLedger({
    rpcUrls: net.rpcUrls,
    signer: net.nodeKeys[0] as NonNullable<(typeof net.nodeKeys)[0]>,
    confirmTimeoutMs: 120_000,
    ...options.ledger,
  })
  const load = new RecordLoad(ledger, options.recordsPerS, `vf/${Date.now().toString(36)}`)
  let progress: ReturnType<typeof setInterval> | undefined
  try {
    const recordsBefore = (await appStatus(net.rpcUrls[3] as string)).records
    const schedule = new Schedule(options, load)
    load.start()
    progress = setInterval(() => options.log?.(`  … ${loadSummary(load)}`), 5_000)
    await schedule.until(() => load.acknowledged.length >= options.phaseRecords, 'warm-up commits')
    const oneDownResumeMs = await schedule.oneDown()
    const twoDown = await schedule.twoDown()
    await load.stop()
    options.log?.(`load stopped: ${load.offered} offered, all settled`)
    return await settleAndCheck(options, ledger, load, recordsBefore, {
      oneDownResumeMs,
      ...twoDown,
    })
  } finally {
    clearInterval(progress)
    load.stopOffering()
    await ledger.close()
  }
}

function loadSummary(load: RecordLoad): string {
  const { offered, acknowledged, failed, outstanding } = load
  return `${offered} offered, ${acknowledged.length} acknowledged, ${failed.length} failed, ${outstanding} outstanding`
}

/** The fault schedule's steps, each gated by conditions seen on the network. */
class Schedule {
  readonly #options: ValidatorFaultRunOptions
  readonly #load: RecordLoad
  readonly #log: (text: string) => void

  constructor(options: ValidatorFaultRunOptions, load: RecordLoad) {
    this.#options = options
    this.#load = load
    this.#log = options.log ?? (() => {})
  }

  until<T>(condition: () => T | Promise<T>, what: string): Promise<NonNullable<T>> {
    const timeoutMs = this.#options.waitMs ?? 60_000
    return waitFor(condition, { timeoutMs, intervalMs: 20, message: what })
  }

  /** Stops validator 0 (the client's node), waits for commits without it, starts it: ms to catch up. */
  async oneDown(): Promise<number> {
    const { net, phaseRecords } = this.#options
    const load = this.#load
    await net.stopValidator(0)
    const stoppedAt = await this.#topHeight([1, 2, 3])
    this.#log(`validator 0 stopped at height ${stoppedAt}`)
    await this.until(
      () => load.acknowledgedAbove(stoppedAt) >= phaseRecords,
      'commits with 1 of 4 validators down',
    )
    const restartedAt = performance.now()
    const networkHeight = await this.#topHeight([1, 2, 3])
    await net.startValidator(0)
    await this.until(async () => {
      const status = await nodeStatus(net.rpcUrls[0] as string)
      return status && !status.catchingUp && status.height >= networkHeight
    }, 'validator 0 to catch up')
    const resumeMs = performance.now() - restartedAt
    this.#log(`validator 0 back and caught up to ${networkHeight} in ${Math.round(resumeMs)} ms`)
    const acked = load.acknowledged.length
    await this.until(
      () => load.acknowledged.length >= acked + phaseRecords,
      'commits with 4 of 4 validators up',
    )
    return resumeMs
  }

  /** Stops validators 1 and 2, holds the halt, starts both: ms to the first commit above it. */
  async twoDown(): Promise<{ twoDownResumeMs: number; acknowledgedWhileHalted: number }> {
    const { net, haltRecords, phaseRecords } = this.#options
    const load = this.#load
    await Promise.all([net.stopValidator(1), net.stopValidator(2)])
    const haltedAt = await this.until(
      () => this.#haltedHeight([0, 3]),
      'the chain to halt with 2 of 4 validators down',
    )
    const offeredAtHalt = load.offered
    this.#log(`validators 1 and 2 stopped: chain halted at height ${haltedAt}`)
    await this.until(
      () => load.offered >= offeredAtHalt + haltRecords,
      'records offered while halted',
    )
    const acknowledgedWhileHalted = load.acknowledgedAbove(haltedAt)
    const restartedAt = performance.now()
    await Promise.all([net.startValidator(1), net.startValidator(2)])
    const resumedAt = await this.until(
      () => load.firstAcknowledgedAbove(haltedAt, restartedAt),
      'commits to resume after the halt',
    )
    const twoDownResumeMs = resumedAt - restartedAt
    this.#log(`validators 1 and 2 back: commits resumed in ${Math.round(twoDownResumeMs)} ms`)
    const acked = load.acknowledged.length
    await this.until(
      () => load.acknowledged.length >= acked + phaseRecords,
      'commits after the halt',
    )
    return { twoDownResumeMs, acknowledgedWhileHalted }
  }

  /**
   * The height every node at `indexes` (the live ones) is halted above, or
   * null until they all are, at the same height. One node's view is not
   * enough: a stopped validator's last precommits may reach the client's node
   * and commit a block there that the other live node has not seen yet.
   */
  async #haltedHeight(indexes: readonly number[]): Promise<number | null> {
    const urls = indexes.map((i) => this.#options.net.rpcUrls[i] as string)
    const heights = await Promise.all(
      urls.map(async (url) => {
        const status = await nodeStatus(url)
        const halted = status && (await haltedAbove(url, status.height, indexes.length))
        return halted ? status.height : null
      }),
    )
    const [first] = heights
    return first != null && heights.every((height) => height === first) ? first : null
  }

  /** The highest block height among the nodes at `indexes` that answer. */
  async #topHeight(indexes: readonly number[]): Promise<number> {
    const urls = indexes.map((i) => this.#options.net.rpcUrls[i] as string)
    const statuses = await Promise.all(urls.map(nodeStatus))
    return Math.max(0, ...statuses.map((status) => status?.height ?? 0))
  }
}

/** Waits for the nodes to level, then checks loss, forks and duplicates. */
async function settleAndCheck(
  options: ValidatorFaultRunOptions,
  ledger: CometbftLedger,
  load: RecordLoad,
  recordsBefore: number,
  times: { oneDownResumeMs: number; twoDownResumeMs: number; acknowledgedWhileHalted: number },
): Promise<ValidatorFaultReport> {
  const { rpcUrls } = options.net
  const waitMs = options.waitMs ?? 60_000
  // Nodes that never level are compared up to the lowest height they all have.
  const top =
    (await levelHeight(rpcUrls, waitMs)) ??
    Math.min(...(await Promise.all(rpcUrls.map(nodeStatus))).map((s) => s?.height ?? 0))
  const log = options.log ?? (() => {})
  const agreement = await chainAgreement(rpcUrls, top)
  log(`nodes level at height ${top}; blocks and app hashes compared`)
  const receipts = load.acknowledged.map((ack) => ack.receipt)
  const check = await checkAcknowledged(ledger, receipts, options.queryEvery ?? 1)
  log(`${check.checked} receipts checked, ${check.queried} queried back by key`)
  const failedButCommitted = await countCommitted(ledger, load)
  const onChain = await Promise.all(rpcUrls.map(async (url) => (await appStatus(url)).records))
  const expected = recordsBefore + receipts.length + failedButCommitted
  const failedByCode: Record<string, number> = {}
  for (const failure of load.failed)
    failedByCode[failure.code] = (failedByCode[failure.code] ?? 0) + 1
  const untyped = failedByCode.untyped ?? 0
  const first = load.acknowledged[0]?.at ?? 0
  const last = load.acknowledged.at(-1)?.at ?? first
  return {
    offered: load.offered,
    acknowledged: receipts.length,
    lost: check.lost,
    failedByCode,
    firstErrors: Object.fromEntries(load.firstErrors),
    failedTyped: load.failed.length - untyped,
    failedUntyped: untyped,
    failedButCommitted,
    duplicated: Math.max(0, ...onChain.map((records) => records - expected)),
    recordsOnChain: onChain,
    recordsExpected: expected,
    acknowledgedWhileHalted: times.acknowledgedWhileHalted,
    forkDetected: agreement.forkedHeights.length > 0 || !agreement.appsAgree,
    agreement,
    check,
    oneDownResumeMs: times.oneDownResumeMs,
    twoDownResumeMs: times.twoDownResumeMs,
    commitRatePerS: receipts.length / Math.max(0.001, (last - first) / 1000),
  }
}

/** Failed records that are on the chain anyway (their batch went out before the failure). */
async function countCommitted(ledger: CometbftLedger, load: RecordLoad): Promise<number> {
  // Refused by backpressure, a record never left the client: only the other failures are asked.
  const sent = load.failed.filter((failure) => failure.code !== 'LEDGER_BACKPRESSURE')
  let committed = 0
  for (const failure of sent) if (await ledger.get(failure.record.key)) committed++
  return committed
}
