/**
 * The record batcher of the CometBFT ledger client: records queue up (up to
 * `batchSize` records or `maxBatchBytes` bytes, or whatever arrived within
 * `flushIntervalMs`) and go out as one signed transaction under an RFC 6962
 * Merkle root, zstd-compressed when that is smaller (see ledger-tx.ts); each
 * caller gets a {@link Receipt} with its record's inclusion proof.
 *
 * Backpressure: at most `maxPendingRecords` records wait or fly at once; past
 * that `enqueue` fails fast with LEDGER_BACKPRESSURE instead of queueing
 * without bound when the network falls behind. A key is written once: a second
 * record under a key that is pending or taken is refused with KEY_EXISTS.
 */
import type { Clock, TimerHandle } from '../../runtime/index.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { encodeRecordBatch } from '../abci/tx-payload.ts'
import { toHex } from '../encoding/hex.ts'
import {
  LedgerBackpressureError,
  LedgerRecordInvalidError,
  LedgerUnavailableError,
} from '../errors.ts'
import type { MerkleTree } from '../merkle/merkle-tree.ts'
import { recordProblem } from '../merkle/record-leaf.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import type { TxConfirmer, TxResult } from './tx-confirmer.ts'
import { txRejection } from './tx-rejection.ts'

export type RecordBatcherOptions = {
  readonly clock: Clock
  /** The chain the receipts name. */
  readonly chainId: string
  /** Signs a batch payload into a transaction (fresh nonce each call). */
  readonly sign: (payload: Uint8Array) => Uint8Array
  /** Sends the transactions and confirms them. */
  readonly confirmer: Pick<TxConfirmer, 'send' | 'inFlight'>
  /** Most records per transaction. */
  readonly batchSize: number
  /** Longest a record waits for its batch to fill, ms (0 = send at once). */
  readonly flushIntervalMs: number
  /** Most record bytes per transaction before compression. */
  readonly maxBatchBytes: number
  /** Send batches zstd-compressed when that is smaller. */
  readonly compress: boolean
  /** Most records queued or in flight before enqueue() fails with LEDGER_BACKPRESSURE. */
  readonly maxPendingRecords: number
  /** Most transactions broadcast but not yet confirmed. */
  readonly maxInFlightTxs: number
}

/** Record counters for monitoring and benchmarks. */
export type RecordBatcherStats = {
  pendingRecords: number
  queuedRecords: number
  committedRecords: number
  committedTxs: number
}

type Pending = {
  readonly record: LedgerRecord
  /** The record's encoded size in a batch, bytes. */
  readonly bytes: number
  resolve(receipt: Receipt): void
  reject(error: unknown): void
}

/** Queues records into batches, one transaction per batch, and answers each with its receipt. */
export class RecordBatcher {
  readonly #options: RecordBatcherOptions
  readonly #queue: Pending[] = []
  /** Sum of `bytes` over the queue. */
  #queuedBytes = 0
  readonly #pendingKeys = new Set<string>()
  #inFlightRecords = 0
  #committedRecords = 0
  #committedTxs = 0
  /** The backpressure error of the current full spell (null while there is room). */
  #shedding: LedgerBackpressureError | null = null
  #flushTimer: TimerHandle | null = null
  #closed = false

  constructor(options: RecordBatcherOptions) {
    this.#options = options
  }

  /** Queues `record` and resolves with its receipt once its batch is committed. */
  enqueue(record: LedgerRecord): Promise<Receipt> {
    const refusal = this.#refusal(record)
    if (refusal) return Promise.reject(refusal)
    this.#pendingKeys.add(record.key)
    const { promise, resolve, reject } = Promise.withResolvers<Receipt>()
    // kind(1) + key length(2) + key + data length(4) + data, and its u32 length prefix.
    const bytes = 11 + Buffer.byteLength(record.key, 'utf8') + record.dataHex.length / 2
    this.#queuedBytes += bytes
    this.#queue.push({ record, bytes, resolve, reject })
    this.#scheduleFlush()
    return promise
  }

  /** Records queued, in flight and committed so far. */
  stats(): RecordBatcherStats {
    return {
      pendingRecords: this.#queue.length + this.#inFlightRecords,
      queuedRecords: this.#queue.length,
      committedRecords: this.#committedRecords,
      committedTxs: this.#committedTxs,
    }
  }

  /** Rejects every queued record with `error` and accepts no more. */
  close(error: unknown): void {
    this.#closed = true
    if (this.#flushTimer) this.#options.clock.clearTimeout(this.#flushTimer)
    this.#queuedBytes = 0
    for (const item of this.#queue.splice(0)) item.reject(error)
  }

  /** Why `record` cannot be queued now, or null. */
  #refusal(record: LedgerRecord): Error | null {
    if (this.#closed) return new LedgerUnavailableError('the ledger client is closed')
    const problem = recordProblem(record)
    if (problem)
      return new LedgerRecordInvalidError(`invalid record: ${problem}`, {
        meta: { key: record.key },
      })
    const pending = this.#queue.length + this.#inFlightRecords
    const limit = this.#options.maxPendingRecords
    if (pending >= limit) {
      // One error per full spell, shared by every caller refused in it: under overload, shedding
      // must stay cheap (an error per refused record, with its stack, cost ~15 % of the client's
      // CPU at twice the sustainable load, slowing the commits that do go through).
      this.#shedding ??= new LedgerBackpressureError(
        `${pending} records already wait for the ledger (limit ${limit}); retry later`,
        { meta: { pending, limit } },
      )
      return this.#shedding
    }
    this.#shedding = null
    if (this.#pendingKeys.has(record.key))
      return txRejection(
        TX_CODES.KEY_EXISTS,
        `record key '${record.key}' is already being written`,
        '',
      )
    return null
  }

  #scheduleFlush(): void {
    if (this.#closed) return
    const { batchSize, maxBatchBytes, flushIntervalMs, clock } = this.#options
    if (
      this.#queue.length >= batchSize ||
      this.#queuedBytes >= maxBatchBytes ||
      flushIntervalMs === 0
    ) {
      if (this.#flushTimer) {
        clock.clearTimeout(this.#flushTimer)
        this.#flushTimer = null
      }
      queueMicrotask(() => this.#flush())
      return
    }
    this.#flushTimer ??= clock.setTimeout(() => {
      this.#flushTimer = null
      this.#flush()
    }, flushIntervalMs)
  }

  #flush(): void {
    const { batchSize, maxBatchBytes, maxInFlightTxs, confirmer } = this.#options
    const queue = this.#queue
    while (queue.length > 0 && confirmer.inFlight < maxInFlightTxs && !this.#closed) {
      // Up to batchSize records and maxBatchBytes bytes (at least one record).
      let count = 0
      let bytes = 0
      while (count < queue.length && count < batchSize) {
        const next = (queue[count] as Pending).bytes
        if (count > 0 && bytes + next > maxBatchBytes) break
        bytes += next
        count++
      }
      this.#queuedBytes -= bytes
      void this.#sendBatch(queue.splice(0, count))
    }
  }

  async #sendBatch(batch: Pending[]): Promise<void> {
    const { compress, sign, confirmer } = this.#options
    this.#inFlightRecords += batch.length
    try {
      const records = batch.map((item) => item.record)
      const { payload, root, tree } = encodeRecordBatch(records, { compress, validated: true })
      const result = await confirmer.send(sign(payload))
      if (result.code === TX_CODES.KEY_EXISTS) this.#requeueUntaken(batch, result)
      else if (result.code !== 0)
        this.#rejectAll(batch, txRejection(result.code, result.log, result.txHash))
      else this.#resolveAll(batch, result, root, tree)
    } catch (error) {
      this.#rejectAll(batch, error)
    } finally {
      this.#inFlightRecords -= batch.length
      if (this.#queue.length > 0) this.#scheduleFlush()
    }
  }

  /** Rejects only the records whose keys are taken; the others go out again in a new batch. */
  #requeueUntaken(batch: readonly Pending[], result: TxResult): void {
    const taken = new Set(parseKeyList(result.data))
    const retry: Pending[] = []
    for (const item of batch) {
      if (taken.has(item.record.key) || taken.size === 0) {
        this.#pendingKeys.delete(item.record.key)
        item.reject(
          txRejection(
            TX_CODES.KEY_EXISTS,
            `record key '${item.record.key}' is already written; records are append-only`,
            result.txHash,
          ),
        )
      } else retry.push(item)
    }
    if (retry.length === 0) return
    this.#queue.unshift(...retry)
    for (const item of retry) this.#queuedBytes += item.bytes
    this.#scheduleFlush()
  }

  #rejectAll(batch: readonly Pending[], error: unknown): void {
    for (const item of batch) {
      this.#pendingKeys.delete(item.record.key)
      item.reject(error)
    }
  }

  #resolveAll(
    batch: readonly Pending[],
    result: TxResult,
    root: Uint8Array,
    tree: MerkleTree,
  ): void {
    const batchRoot = toHex(root)
    const batchId = result.txHash.toLowerCase()
    const { chainId } = this.#options
    batch.forEach((item, leafIndex) => {
      this.#pendingKeys.delete(item.record.key)
      item.resolve({
        record: item.record,
        leafHash: tree.leafHex(leafIndex),
        leafIndex,
        treeSize: batch.length,
        auditPath: tree.auditPathHex(leafIndex),
        batchRoot,
        batchId,
        chainId,
        height: result.height,
        txHash: result.txHash,
      })
    })
    this.#committedRecords += batch.length
    this.#committedTxs += 1
  }
}

/** The keys a KEY_EXISTS result names in its data (a JSON array), or none. */
function parseKeyList(data: Uint8Array | undefined): string[] {
  if (!data || data.length === 0) return []
  try {
    const keys = JSON.parse(new TextDecoder().decode(data)) as unknown
    return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : []
  } catch {
    return []
  }
}
