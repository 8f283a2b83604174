/**
 * The anchoring job: periodically takes the CometBFT ledger's newest batch roots and anchors
 * them in the Anchor contract, so receipts of this domain can be verified by other domains
 * (see verify-anchored-receipt.ts). It reads from a small {@link BatchRootSource} (the CometBFT
 * ledger client in production, a test tree in unit tests), skips batches already anchored,
 * sends the rest concurrently (writeContract hands out nonces one send at a time per key, see
 * write-contract.ts) and only advances past a height
 * once every batch at or below it is anchored, so a failed send is retried on the next run.
 * An AnchorConflict (someone anchored a different root for the same batch) is reported and not
 * retried: it means the domain's history was forked or the anchorer key misused.
 */
import { z } from 'zod'
import type { anchor } from '../../contracts/index.ts'
import type { Clock, TimerHandle } from '../../runtime/index.ts'
import { BaseError, InternalError } from '../../runtime/index.ts'
import { anchorBatch, type BatchAnchoring } from './anchor-batch.ts'
import { domainId } from './bytes32-name.ts'
import { EthTxRevertedError } from './errors.ts'
import type { ContractHandle } from './vigil-contracts.ts'

/** One batch of the intra-domain ledger, as the job anchors it. */
export type AnchorableBatch = {
  readonly height: number
  readonly batchId: string
  /** RFC 6962 root, hex (with or without 0x). */
  readonly root: string
  readonly treeSize: number
}

/** Where batch roots come from. */
export type BatchRootSource = {
  /** Committed batches with height > `sinceHeight`, any order. */
  latestBatches(sinceHeight: number): Promise<readonly AnchorableBatch[]>
}

export type AnchoringJobOptions = {
  source: BatchRootSource
  /** Anchor contract handle whose account is an anchorer of `domain`. */
  anchor: ContractHandle<typeof anchor.abi>
  /** The CometBFT chain id of this domain. */
  domain: string
  clock: Clock
  /** Pause between runs in ms. Default 5,000. */
  intervalMs?: number | undefined
  /** Height to start after; default: one below the highest height anchored on chain. */
  startAfterHeight?: number | undefined
  /** Failures of a run or of one batch (never thrown out of the timer loop). */
  onError?: ((error: BaseError, batch?: AnchorableBatch) => void) | undefined
}

export type AnchoringRun = {
  /** Batches newly anchored in this run. */
  readonly anchored: readonly AnchorableBatch[]
  /** Batches found already anchored with the same root. */
  readonly alreadyAnchored: number
  readonly failed: number
  /** Every batch at or below this height is anchored. */
  readonly anchoredHeight: number
  /** Gas used by the anchoring transactions of this run. */
  readonly gasUsed: bigint
}

export type AnchoringJob = {
  /** One pass: fetch new batches and anchor them. */
  runOnce(): Promise<AnchoringRun>
  /** Runs now and then every `intervalMs` until {@link AnchoringJob.stop}. */
  start(): void
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>
  /** Every batch at or below this height is anchored (-1 before the first run). */
  readonly anchoredHeight: number
}

/**
 * A run's counts from its sends' outcomes; failures go to `onError`, and `lowestRetry` is the
 * lowest height to send again (an AnchorConflict is not retried).
 */
function tallyOutcomes(
  batches: readonly AnchorableBatch[],
  outcomes: readonly PromiseSettledResult<BatchAnchoring>[],
  onError: AnchoringJobOptions['onError'],
) {
  const anchored: AnchorableBatch[] = []
  let alreadyAnchored = 0
  let gasUsed = 0n
  let lowestRetry = Number.POSITIVE_INFINITY
  let failed = 0
  outcomes.forEach((outcome, i) => {
    const batch = batches[i] as AnchorableBatch
    if (outcome.status === 'fulfilled') {
      if (outcome.value.kind === 'already') alreadyAnchored += 1
      else {
        anchored.push(batch)
        gasUsed += outcome.value.gasUsed
      }
      return
    }
    failed += 1
    const error =
      outcome.reason instanceof BaseError
        ? outcome.reason
        : new InternalError(`anchoring batch ${batch.batchId} failed: ${String(outcome.reason)}`)
    onError?.(error, batch)
    const conflict = EthTxRevertedError.is(error) && error.meta?.errorName === 'AnchorConflict'
    if (!conflict) lowestRetry = Math.min(lowestRetry, batch.height)
  })
  return { anchored, alreadyAnchored, failed, gasUsed, lowestRetry }
}

/** The ms between anchoring runs when the configuration names none. */
export const ANCHOR_INTERVAL_MS = 5_000

/** The `intervalMs` of an anchoring configuration (the actor's args, a domain description). */
export const anchorIntervalMsSchema = z
  .number()
  .int()
  .positive()
  .default(ANCHOR_INTERVAL_MS)
  .describe(`ms between anchoring runs; default ${ANCHOR_INTERVAL_MS.toLocaleString('en')}`)

/** Creates the job; nothing runs until `runOnce` or `start`. */
export function createAnchoringJob(options: AnchoringJobOptions): AnchoringJob {
  const domain = domainId(options.domain)
  const intervalMs = options.intervalMs ?? ANCHOR_INTERVAL_MS
  let anchoredHeight = options.startAfterHeight ?? -1
  let initialised = options.startAfterHeight !== undefined
  let timer: TimerHandle | undefined
  let running: Promise<unknown> | undefined
  let stopped = true

  const runOnce = async (): Promise<AnchoringRun> => {
    if (!initialised) {
      const latest = await options.anchor.read('latestHeight', [domain])
      // Re-read the last anchored height itself: batches at that height may have been left
      // half-anchored by a previous run; already anchored ones are skipped by a read.
      anchoredHeight = Number(latest) - 1
      initialised = true
    }
    const batches = [...(await options.source.latestBatches(anchoredHeight))]
      .filter((batch) => batch.height > anchoredHeight)
      .sort((a, b) => a.height - b.height)
    const outcomes = await Promise.allSettled(
      batches.map((batch) => anchorBatch(options.anchor, domain, batch)),
    )
    const { lowestRetry, ...run } = tallyOutcomes(batches, outcomes, options.onError)
    const highest = batches.at(-1)?.height ?? anchoredHeight
    anchoredHeight = Number.isFinite(lowestRetry) ? lowestRetry - 1 : highest
    return { ...run, anchoredHeight }
  }

  const tick = () => {
    if (stopped) return
    running = runOnce()
      .catch((error: unknown) => {
        options.onError?.(
          error instanceof BaseError
            ? error
            : new InternalError(`anchoring run failed: ${String(error)}`),
        )
      })
      .finally(() => {
        running = undefined
        if (!stopped) timer = options.clock.setTimeout(tick, intervalMs)
      })
  }

  return {
    runOnce,
    start() {
      if (!stopped) return
      stopped = false
      tick()
    },
    async stop() {
      stopped = true
      if (timer) options.clock.clearTimeout(timer)
      timer = undefined
      await running
    },
    get anchoredHeight() {
      return anchoredHeight
    },
  }
}
