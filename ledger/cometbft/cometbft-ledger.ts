/**
 * The CometBFT ledger client: vigil's {@link IntraDomainLedger} over a
 * CometBFT network running the vigil ABCI app. This file composes it:
 *
 * - node-pool.ts: the RPC endpoints, with failover on network errors;
 * - tx-confirmer.ts: `broadcast_tx_sync`, confirmation by one block-events
 *   subscription (block-events-subscription.ts), `/tx` polling as fallback;
 * - record-batcher.ts: records batched under one Merkle root per signed
 *   transaction, with backpressure (LEDGER_BACKPRESSURE);
 * - verify-committed-receipt.ts and abci-query.ts: the read side.
 */
import type { Clock } from '../../runtime/index.ts'
import { systemClock } from '../../runtime/index.ts'
import { encodeLedgerTx } from '../abci/ledger-tx.ts'
import {
  type BatchHeader,
  type BatchInfo,
  type LedgerStatus,
  QUERY_PATHS,
} from '../abci/query-paths.ts'
import type { SignerKey } from '../abci/signer-key.ts'
import { encodeEnrollment, type SignerRole } from '../abci/tx-payload.ts'
import { fromHex } from '../encoding/hex.ts'
import { LedgerUnavailableError } from '../errors.ts'
import type { ReceiptVerification } from '../merkle/verify-receipt.ts'
import type { IntraDomainLedger, LedgerRecord, Receipt } from '../protocol.ts'
import { abciQuery } from './abci-query.ts'
import { createNodePool } from './node-pool.ts'
import { readChainId } from './read-chain-id.ts'
import { RecordBatcher } from './record-batcher.ts'
import { TxConfirmer } from './tx-confirmer.ts'
import { txRejection } from './tx-rejection.ts'
import { verifyCommittedReceipt } from './verify-committed-receipt.ts'

export type CometbftLedgerOptions = {
  /** CometBFT RPC endpoints (http://host:port), tried in order; WebSocket URLs are derived. */
  readonly rpcUrls: readonly string[]
  /** The enrolled key that signs this client's transactions. */
  readonly signer: SignerKey
  /** The chain id; read from the first node's /status when absent. */
  readonly chainId?: string | undefined
  /** Most records per transaction (default 2,048). 1 = one tx per record (the prototype's way). */
  readonly batchSize?: number | undefined
  /** Longest a record waits for its batch to fill, ms (default 10; 0 = send at once). */
  readonly flushIntervalMs?: number | undefined
  /**
   * Most record bytes per transaction before compression (default 1 MiB), so batches of long
   * records (ENF fingerprints) stay under the ledger's transaction size limit.
   */
  readonly maxBatchBytes?: number | undefined
  /** Send batches zstd-compressed when that is smaller (default true). */
  readonly compress?: boolean | undefined
  /** Most records queued or in flight before commit() fails with LEDGER_BACKPRESSURE (default 200,000). */
  readonly maxPendingRecords?: number | undefined
  /** Most transactions broadcast but not yet confirmed (default 16). */
  readonly maxInFlightTxs?: number | undefined
  /** Give up on a broadcast transaction after this long, ms (default 30,000) → LEDGER_TIMEOUT. */
  readonly confirmTimeoutMs?: number | undefined
  /** Poll /tx for transactions unconfirmed after this long, ms (default 1,000). */
  readonly pollAfterMs?: number | undefined
  /** Confirm by polling only, without the WebSocket subscription (default false). */
  readonly pollOnly?: boolean | undefined
  /**
   * Send a transaction still unconfirmed after this long again, same bytes, ms (default 5,000;
   * at once when the node it went to stopped answering): a stopped node's mempool is lost.
   */
  readonly rebroadcastMs?: number | undefined
  readonly clock?: Clock | undefined
}

/** The ledger client: commit, query and verify. */
export type CometbftLedger = IntraDomainLedger & {
  readonly chainId: string
  /** Commits several records (batched like separate commits); one receipt per record, in order. */
  commitMany(records: readonly LedgerRecord[]): Promise<Receipt[]>
  /** Verifies a receipt offline, then against the chain: the batch row, the tx in its block. */
  verify(receipt: Receipt): Promise<ReceiptVerification>
  /** The committed batch, or null. */
  batch(batchId: string): Promise<BatchInfo | null>
  status(): Promise<LedgerStatus>
  /** The validator set at the latest height (CometBFT's `/validators`): how many, and their voting power. */
  validators(): Promise<{ height: number; count: number; votingPower: number }>
  /** Enrolls a host key (the signer must be an admin); resolves when committed. */
  enroll(
    publicKeyHex: string,
    role: SignerRole,
    name: string,
  ): Promise<{ height: number; txHash: string }>
  /** Sends raw transaction bytes and waits for the block (tests of rejection codes). */
  submitRaw(tx: Uint8Array): Promise<{ height: number; txHash: string }>
  /** Counters for monitoring and benchmarks. */
  stats(): {
    pendingRecords: number
    queuedRecords: number
    inFlightTxs: number
    committedRecords: number
    committedTxs: number
  }
  close(): Promise<void>
}

const DEFAULTS = {
  batchSize: 2048,
  maxBatchBytes: 1024 * 1024,
  flushIntervalMs: 10,
  maxPendingRecords: 200_000,
  maxInFlightTxs: 16,
  confirmTimeoutMs: 30_000,
  pollAfterMs: 1_000,
  rebroadcastMs: 5_000,
}

/** Connects to the network (reads the chain id if not given) and returns the ledger client. */
export async function createCometbftLedger(
  options: CometbftLedgerOptions,
): Promise<CometbftLedger> {
  const clock = options.clock ?? systemClock
  const nodes = createNodePool(options.rpcUrls)
  const chainId = options.chainId ?? (await nodes.withNode((_client, url) => readChainId(url)))
  const nextNonce = nonceSequence()
  const sign = (payload: Uint8Array) =>
    encodeLedgerTx({ chainId, key: options.signer, nonce: nextNonce(), payload })
  const query = <T>(path: string, data: string) => abciQuery<T>(nodes, path, data)
  const confirmer = new TxConfirmer({
    nodes,
    clock,
    confirmTimeoutMs: options.confirmTimeoutMs ?? DEFAULTS.confirmTimeoutMs,
    pollAfterMs: options.pollAfterMs ?? DEFAULTS.pollAfterMs,
    pollOnly: options.pollOnly ?? false,
    rebroadcastMs: options.rebroadcastMs ?? DEFAULTS.rebroadcastMs,
    // A record batch's row names the height its tx committed at (batch id = tx hash).
    committedHeight: async (txHash) =>
      (await query<BatchHeader>(QUERY_PATHS.batchHeader, txHash.toLowerCase()))?.height ?? null,
  })
  const batcher = new RecordBatcher({
    clock,
    chainId,
    sign,
    confirmer,
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    flushIntervalMs: options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
    maxBatchBytes: options.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
    compress: options.compress ?? true,
    maxPendingRecords: options.maxPendingRecords ?? DEFAULTS.maxPendingRecords,
    maxInFlightTxs: options.maxInFlightTxs ?? DEFAULTS.maxInFlightTxs,
  })
  // Subscribed before the first broadcast, so even the first commit is confirmed by its event.
  await confirmer.start()

  async function waitCommitted(tx: Uint8Array): Promise<{ height: number; txHash: string }> {
    const result = await confirmer.send(tx)
    if (result.code !== 0) throw txRejection(result.code, result.log, result.txHash)
    return { height: result.height, txHash: result.txHash }
  }
  const commit = (record: LedgerRecord) => batcher.enqueue(record)

  return {
    chainId,
    commit,
    commitMany: (records) => Promise.all(records.map(commit)),
    get: (key) => query<Receipt>(QUERY_PATHS.record, key),
    batch: (batchId) => query<BatchInfo>(QUERY_PATHS.batch, batchId.toLowerCase()),
    status: async () => (await query<LedgerStatus>(QUERY_PATHS.status, '')) as LedgerStatus,
    validators: () =>
      nodes.withNode(async (client) => {
        const reply = await client.validatorsAll()
        const votingPower = reply.validators.reduce((sum, v) => sum + Number(v.votingPower), 0)
        return { height: reply.blockHeight, count: reply.total, votingPower }
      }),
    verify: (receipt) => verifyCommittedReceipt(receipt, { nodes, chainId, clock }),
    enroll: (publicKeyHex, role, name) =>
      waitCommitted(sign(encodeEnrollment(fromHex(publicKeyHex), role, name))),
    submitRaw: waitCommitted,
    stats: () => ({ ...batcher.stats(), inFlightTxs: confirmer.inFlight }),
    async close() {
      const error = new LedgerUnavailableError(
        'the ledger client was closed before the record was committed',
      )
      batcher.close(error)
      confirmer.close(error)
      nodes.disconnect()
    },
  }
}

/**
 * Nonces unique per signer across restarts and concurrent clients: a
 * time-based start plus random low bits, then counting up.
 */
function nonceSequence(): () => bigint {
  const random = new Uint32Array(1)
  crypto.getRandomValues(random)
  let nonce = (BigInt(Date.now()) << 20n) | BigInt((random[0] as number) & 0xfffff)
  return () => {
    nonce += 1n
    return nonce
  }
}
