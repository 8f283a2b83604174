/**
 * The loss check of fault runs: every acknowledged record must be on the
 * chain as its receipt says. Per receipt: the proof verifies offline and the
 * committed batch row holds its leaf at its index under its root, height and
 * tx; per batch: one receipt is verified against the chain in full (the tx
 * proven in its block, carrying the root); and the record is queried back by
 * key (every record, or every `queryEvery`-th at full scale).
 */
import type { CometbftLedger, Receipt } from '../index.ts'
import { verifyReceipt } from '../index.ts'

/** Acknowledged receipts that failed a check, with the first reason. */
export type AcknowledgedCheck = {
  readonly checked: number
  readonly lost: number
  readonly batches: number
  readonly queried: number
  readonly firstProblem: string | null
}

/** How many key queries run at once. */
const QUERY_CONCURRENCY = 32

/** Checks `receipts` against the chain `ledger` reads. */
export async function checkAcknowledged(
  ledger: CometbftLedger,
  receipts: readonly Receipt[],
  queryEvery = 1,
): Promise<AcknowledgedCheck> {
  const problems = new Map<Receipt, string>()
  const byBatch = Map.groupBy(receipts, (receipt) => receipt.batchId)
  for (const [batchId, inBatch] of byBatch) {
    const first = inBatch[0] as Receipt
    const { batch, onChain } = await batchOnChain(ledger, batchId, first)
    for (const receipt of inBatch) {
      const problem =
        (!onChain.valid && `batch ${batchId}: ${onChain.reason}`) ||
        (!batch && `batch ${batchId} is not on the chain`) ||
        (batch && batchRowProblem(receipt, batch)) ||
        offlineProblem(receipt)
      if (problem) problems.set(receipt, problem)
    }
  }
  const sampled = receipts.filter((_, i) => i % queryEvery === 0)
  await inParallel(sampled, QUERY_CONCURRENCY, async (receipt) => {
    const found = await ledger.get(receipt.record.key).catch((error: unknown) => {
      problems.set(receipt, `query of ${receipt.record.key} failed: ${String(error)}`)
      return undefined
    })
    if (found === undefined) return
    if (!found) problems.set(receipt, `record ${receipt.record.key} is not queryable`)
    else if (found.leafHash !== receipt.leafHash || found.batchId !== receipt.batchId)
      problems.set(receipt, `record ${receipt.record.key} is on the chain in another batch`)
  })
  return {
    checked: receipts.length,
    lost: problems.size,
    batches: byBatch.size,
    queried: sampled.length,
    firstProblem: problems.values().next().value ?? null,
  }
}

/** The batch row and the chain's verdict on one of its receipts (a failed lookup is a problem). */
async function batchOnChain(ledger: CometbftLedger, batchId: string, receipt: Receipt) {
  try {
    const batch = await ledger.batch(batchId)
    const onChain = batch ? await ledger.verify(receipt) : { valid: false, reason: 'no batch row' }
    return { batch, onChain }
  } catch (error) {
    return { batch: null, onChain: { valid: false, reason: `lookup failed: ${String(error)}` } }
  }
}

function batchRowProblem(
  receipt: Receipt,
  batch: NonNullable<Awaited<ReturnType<CometbftLedger['batch']>>>,
): string | null {
  if (batch.root !== receipt.batchRoot || batch.size !== receipt.treeSize)
    return `batch ${batch.batchId}: root or size differs from the receipt`
  if (batch.height !== receipt.height || batch.txHash !== receipt.txHash)
    return `batch ${batch.batchId}: height or tx differs from the receipt`
  if (batch.leafHashes[receipt.leafIndex] !== receipt.leafHash)
    return `batch ${batch.batchId}: leaf ${receipt.leafIndex} differs from the receipt`
  return null
}

function offlineProblem(receipt: Receipt): string | null {
  const offline = verifyReceipt(receipt)
  return offline.valid ? null : `receipt of ${receipt.record.key}: ${offline.reason}`
}

async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane))
}
