/**
 * The CometBFT ledger client: vigil's {@link IntraDomainLedger} over a
 * CometBFT network running the vigil ABCI app.
 *
 * Records are batched (up to `batchSize` records, or whatever arrived within
 * `flushIntervalMs`) into one signed transaction under an RFC 6962 Merkle
 * root; each caller gets a {@link Receipt} with its record's inclusion proof,
 * the batch root, the height and the transaction hash. Batches go out
 * zstd-compressed when that is smaller (see ledger-tx.ts). Transactions go out
 * with `broadcast_tx_sync` (CheckTx result only) and are confirmed by one
 * WebSocket `tm.event='NewBlockEvents'` subscription, whose events carry one
 * (hash, code) pair per transaction (the app's `vigil_tx` block events): a
 * `tm.event='Tx'` subscription would make the node serialize, and this client
 * parse and re-hash, every transaction's bytes. `/tx` polling is the fallback,
 * and fetches the log and data of refused transactions. Never
 * `broadcast_tx_commit` (testing only, capped subscribers).
 *
 * Backpressure: at most `maxPendingRecords` records wait or fly at once; past
 * that `commit` fails fast with LEDGER_BACKPRESSURE instead of queueing
 * without bound when the network falls behind.
 */
import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc'
import type { Clock, TimerHandle } from '../../runtime/clock/clock.ts'
import { systemClock } from '../../runtime/clock/clock.ts'
import {
  decodeLedgerTx,
  encodeEnrollment,
  encodeLedgerTx,
  encodeRecordBatch,
  type SignerRole,
  txHashOf,
} from '../abci/ledger-tx.ts'
import { type BatchInfo, type LedgerStatus, QUERY_CODES, QUERY_PATHS } from '../abci/query-paths.ts'
import type { SignerKey } from '../abci/signer-key.ts'
import { TX_CODES, TX_OUTCOME_EVENT, txCodeName } from '../abci/tx-codes.ts'
import { toHex } from '../encoding/hex.ts'
import {
  LedgerBackpressureError,
  LedgerRecordInvalidError,
  LedgerTimeoutError,
  LedgerTxRejectedError,
  LedgerUnavailableError,
} from '../errors.ts'
import { recordProblem } from '../merkle/record-leaf.ts'
import { type ReceiptVerification, verifyReceipt } from '../merkle/verify-receipt.ts'
import type { IntraDomainLedger, LedgerRecord, Receipt } from '../protocol.ts'
import { verifyTxProof } from './verify-tx-proof.ts'

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

type Pending = {
  readonly record: LedgerRecord
  /** The record's encoded size in a batch, bytes. */
  readonly bytes: number
  resolve(receipt: Receipt): void
  reject(error: unknown): void
}

type Flight = {
  readonly txHash: string
  readonly tx: Uint8Array
  readonly sentAt: number
  /** Set when a block event reported a non-zero code: poll /tx for its log and data at once. */
  refused: boolean
  /** Called with the block height and the tx result once the tx is in a block. */
  settle(height: number, code: number, log: string, data: Uint8Array | undefined): void
  fail(error: unknown): void
}

const DEFAULTS = {
  batchSize: 2048,
  maxBatchBytes: 1024 * 1024,
  flushIntervalMs: 10,
  maxPendingRecords: 200_000,
  maxInFlightTxs: 16,
  confirmTimeoutMs: 30_000,
  pollAfterMs: 1_000,
}

/** Connects to the network (reads the chain id if not given) and returns the ledger client. */
export async function createCometbftLedger(
  options: CometbftLedgerOptions,
): Promise<CometbftLedger> {
  if (options.rpcUrls.length === 0)
    throw new LedgerUnavailableError('no CometBFT RPC URL configured; pass rpcUrls')
  const clock = options.clock ?? systemClock
  const batchSize = options.batchSize ?? DEFAULTS.batchSize
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULTS.flushIntervalMs
  const compress = options.compress ?? true
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULTS.maxBatchBytes
  const maxPendingRecords = options.maxPendingRecords ?? DEFAULTS.maxPendingRecords
  const maxInFlightTxs = options.maxInFlightTxs ?? DEFAULTS.maxInFlightTxs
  const confirmTimeoutMs = options.confirmTimeoutMs ?? DEFAULTS.confirmTimeoutMs
  const pollAfterMs = options.pollAfterMs ?? DEFAULTS.pollAfterMs
  const signer = options.signer

  const clients = options.rpcUrls.map((url) => Comet38Client.create(new HttpClient(url)))
  let active = 0

  /** Runs `call` on the active node, failing over to the others on network errors. */
  async function withNode<T>(call: (client: Comet38Client, url: string) => Promise<T>): Promise<T> {
    let lastError: unknown
    for (let attempt = 0; attempt < clients.length; attempt++) {
      const index = (active + attempt) % clients.length
      try {
        const result = await call(clients[index] as Comet38Client, options.rpcUrls[index] as string)
        if (index !== active) {
          active = index
          void subscribe()
        }
        return result
      } catch (error) {
        if (!isNetworkError(error)) throw error
        lastError = error
      }
    }
    throw new LedgerUnavailableError(
      `no CometBFT node answered (${options.rpcUrls.length} tried)`,
      { cause: lastError },
    )
  }

  // Plain /status: cosmjs' decoder throws on the empty block hash of a node that has not synced yet.
  const chainId = options.chainId ?? (await withNode((_client, url) => networkOf(url)))

  // Nonces: unique per signer across restarts and concurrent clients (time-based start plus random low bits).
  const random = new Uint32Array(1)
  crypto.getRandomValues(random)
  let nonce = (BigInt(Date.now()) << 20n) | BigInt((random[0] as number) & 0xfffff)
  const nextNonce = () => {
    nonce += 1n
    return nonce
  }

  /** The backpressure error of the current full spell (null while there is room). */
  let shedding: LedgerBackpressureError | null = null
  const queue: Pending[] = []
  /** Sum of `bytes` over `queue`. */
  let queuedBytes = 0
  const pendingKeys = new Set<string>()
  const flights = new Map<string, Flight>()
  let inFlightRecords = 0
  let committedRecords = 0
  let committedTxs = 0
  let flushTimer: TimerHandle | null = null
  let pollTimer: TimerHandle | null = null
  let closed = false

  // --- confirmation: one NewBlockEvents subscription, polling as fallback ------------------
  let ws: WebSocket | null = null
  let wsIndex = -1
  function subscribe(): Promise<void> {
    if (options.pollOnly || closed || wsIndex === active) return Promise.resolve()
    ws?.close()
    wsIndex = active
    const url = `${(options.rpcUrls[active] as string).replace(/^http/, 'ws').replace(/\/$/, '')}/websocket`
    const socket = new WebSocket(url)
    ws = socket
    const { promise: subscribed, resolve } = Promise.withResolvers<void>()
    const dropped = () => {
      // Polling keeps confirming, and subscribes again (on the active node) while txs wait.
      if (ws === socket) wsIndex = -1
      resolve()
    }
    socket.onopen = () =>
      socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 'vigil-confirm',
          method: 'subscribe',
          params: { query: "tm.event='NewBlockEvents'" },
        }),
      )
    socket.onmessage = (message) => {
      const body = parseJson(message.data) as {
        id?: unknown
        error?: unknown
        result?: { data?: { type?: string; value?: BlockEventsValue } }
      } | null
      if (!body) return
      if (body.id === 'vigil-confirm' && !body.result?.data) {
        if (body.error) dropped()
        resolve()
        return
      }
      const value = body.result?.data?.value
      if (body.result?.data?.type !== 'tendermint/event/NewBlockEvents' || !value) return
      settleFromBlockEvents(value)
    }
    socket.onerror = dropped
    socket.onclose = dropped
    return subscribed
  }

  function settleFromBlockEvents(value: BlockEventsValue): void {
    const height = Number(value.height)
    for (const event of value.events ?? []) {
      if (event.type !== TX_OUTCOME_EVENT) continue
      let hash = ''
      let code = -1
      for (const attribute of event.attributes ?? []) {
        if (attribute.key === 'hash') hash = attribute.value ?? ''
        else if (attribute.key === 'code') code = Number(attribute.value)
      }
      const flight = flights.get(hash)
      if (!flight) continue
      if (code === 0) flight.settle(height, 0, '', undefined)
      else {
        // Refused in the block: its log and data (e.g. the taken keys) come from /tx.
        flight.refused = true
        void poll()
      }
    }
  }
  // Subscribed before the first broadcast, so even the first commit is confirmed by its event
  // (bounded: without an answer, polling confirms).
  const ready = subscribe()
  await new Promise<void>((resolve) => {
    const timer = clock.setTimeout(resolve, 3_000)
    void ready.then(() => {
      clock.clearTimeout(timer)
      resolve()
    })
  })

  function schedulePoll(): void {
    if (pollTimer || closed || flights.size === 0) return
    pollTimer = clock.setTimeout(
      () => {
        pollTimer = null
        void poll().finally(schedulePoll)
      },
      Math.max(50, Math.min(pollAfterMs, 500)),
    )
  }

  async function poll(): Promise<void> {
    // A dropped subscription (node restarted) is made again here, while txs wait.
    if (wsIndex === -1) void subscribe()
    const now = clock.now()
    for (const flight of [...flights.values()]) {
      const age = now - flight.sentAt
      if (age > confirmTimeoutMs) {
        flight.fail(
          new LedgerTimeoutError(
            `transaction ${flight.txHash} was not committed within ${confirmTimeoutMs} ms; the network may be stalled (fewer than 2/3 of validators up?)`,
            { meta: { txHash: flight.txHash } },
          ),
        )
        continue
      }
      if (age < pollAfterMs && !flight.refused) continue
      try {
        const found = await withNode((client) => client.tx({ hash: hexToBytes(flight.txHash) }))
        flight.settle(found.height, found.result.code, found.result.log ?? '', found.result.data)
      } catch {
        // Not in a block yet (or no node answered): keep waiting until the deadline.
      }
    }
  }

  /** Broadcasts `tx` and resolves with its block once confirmed; rejects on CheckTx/FinalizeBlock codes. */
  function send(tx: Uint8Array): Promise<{
    height: number
    txHash: string
    code: number
    log: string
    data: Uint8Array | undefined
    stage: 'check' | 'block'
  }> {
    const txHash = txHashOf(tx)
    const { promise, resolve, reject } = Promise.withResolvers<{
      height: number
      txHash: string
      code: number
      log: string
      data: Uint8Array | undefined
      stage: 'check' | 'block'
    }>()
    const flight: Flight = {
      txHash,
      tx,
      sentAt: clock.now(),
      refused: false,
      settle(height, code, log, data) {
        if (!flights.delete(txHash)) return
        resolve({ height, txHash, code, log, data, stage: 'block' })
      },
      fail(error) {
        if (!flights.delete(txHash)) return
        reject(error)
      },
    }
    // Registered before broadcasting, so an early Tx event is never missed.
    flights.set(txHash, flight)
    withNode((_client, url) => broadcastTxSync(url, tx))
      .then((answer) => {
        if (answer.code !== 0) {
          flights.delete(txHash)
          resolve({
            height: 0,
            txHash,
            code: answer.code,
            log: answer.log ?? '',
            data: answer.data,
            stage: 'check',
          })
          return
        }
        schedulePoll()
      })
      .catch((error: unknown) => flight.fail(wrapRpcError(error, txHash)))
    return promise
  }

  // --- batching ------------------------------------------------------------------------------
  function scheduleFlush(): void {
    if (closed) return
    if (queue.length >= batchSize || queuedBytes >= maxBatchBytes || flushIntervalMs === 0) {
      if (flushTimer) {
        clock.clearTimeout(flushTimer)
        flushTimer = null
      }
      queueMicrotask(flush)
      return
    }
    if (!flushTimer) {
      flushTimer = clock.setTimeout(() => {
        flushTimer = null
        flush()
      }, flushIntervalMs)
    }
  }

  function flush(): void {
    while (queue.length > 0 && flights.size < maxInFlightTxs && !closed) {
      // Up to batchSize records and maxBatchBytes bytes (at least one record).
      let count = 0
      let bytes = 0
      while (count < queue.length && count < batchSize) {
        const next = (queue[count] as Pending).bytes
        if (count > 0 && bytes + next > maxBatchBytes) break
        bytes += next
        count++
      }
      queuedBytes -= bytes
      void sendBatch(queue.splice(0, count))
    }
  }

  async function sendBatch(batch: Pending[]): Promise<void> {
    inFlightRecords += batch.length
    try {
      const records = batch.map((item) => item.record)
      const { payload, root, tree } = encodeRecordBatch(records, { compress, validated: true })
      const tx = encodeLedgerTx({ chainId, key: signer, nonce: nextNonce(), payload })
      const result = await send(tx)
      if (result.code === TX_CODES.KEY_EXISTS) {
        // Reject only the records whose keys are taken; the others go out again in a new batch.
        const taken = new Set(parseKeyList(result.data))
        const retry: Pending[] = []
        for (const item of batch) {
          if (taken.has(item.record.key) || taken.size === 0) {
            pendingKeys.delete(item.record.key)
            item.reject(
              rejection(
                TX_CODES.KEY_EXISTS,
                `record key '${item.record.key}' is already written; records are append-only`,
                result.txHash,
              ),
            )
          } else retry.push(item)
        }
        if (retry.length > 0) {
          queue.unshift(...retry)
          for (const item of retry) queuedBytes += item.bytes
          scheduleFlush()
        }
        return
      }
      if (result.code !== 0) {
        const error = rejection(result.code, result.log, result.txHash)
        for (const item of batch) {
          pendingKeys.delete(item.record.key)
          item.reject(error)
        }
        return
      }
      const batchRoot = toHex(root)
      const batchId = result.txHash.toLowerCase()
      batch.forEach((item, leafIndex) => {
        pendingKeys.delete(item.record.key)
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
      committedRecords += batch.length
      committedTxs += 1
    } catch (error) {
      for (const item of batch) {
        pendingKeys.delete(item.record.key)
        item.reject(error)
      }
    } finally {
      inFlightRecords -= batch.length
      if (queue.length > 0) scheduleFlush()
    }
  }

  function rejection(code: number, log: string, txHash: string): LedgerTxRejectedError {
    return new LedgerTxRejectedError(
      `ledger rejected the transaction with ${txCodeName(code)} (${code}): ${log}`,
      code,
      {
        meta: { txHash, codeName: txCodeName(code) },
      },
    )
  }

  function enqueue(record: LedgerRecord): Promise<Receipt> {
    if (closed) return Promise.reject(new LedgerUnavailableError('the ledger client is closed'))
    const problem = recordProblem(record)
    if (problem)
      return Promise.reject(
        new LedgerRecordInvalidError(`invalid record: ${problem}`, { meta: { key: record.key } }),
      )
    if (queue.length + inFlightRecords >= maxPendingRecords) {
      // One error per full spell, shared by every caller refused in it: under overload, shedding
      // must stay cheap (an error per refused record, with its stack, cost ~15 % of the client's
      // CPU at twice the sustainable load, slowing the commits that do go through).
      shedding ??= new LedgerBackpressureError(
        `${queue.length + inFlightRecords} records already wait for the ledger (limit ${maxPendingRecords}); retry later`,
        { meta: { pending: queue.length + inFlightRecords, limit: maxPendingRecords } },
      )
      return Promise.reject(shedding)
    }
    shedding = null
    if (pendingKeys.has(record.key)) {
      return Promise.reject(
        rejection(TX_CODES.KEY_EXISTS, `record key '${record.key}' is already being written`, ''),
      )
    }
    pendingKeys.add(record.key)
    const { promise, resolve, reject } = Promise.withResolvers<Receipt>()
    // kind(1) + key length(2) + key + data length(4) + data, and its u32 length prefix.
    const bytes = 11 + Buffer.byteLength(record.key, 'utf8') + record.dataHex.length / 2
    queuedBytes += bytes
    queue.push({ record, bytes, resolve, reject })
    scheduleFlush()
    return promise
  }

  async function query<T>(path: string, data: string): Promise<T | null> {
    const answer = await withNode((client) =>
      client.abciQuery({ path, data: new TextEncoder().encode(data) }),
    )
    if (answer.code === QUERY_CODES.NOT_FOUND) return null
    if ((answer.code ?? 0) !== 0)
      throw new LedgerUnavailableError(`ledger query ${path} failed: ${answer.log ?? ''}`)
    return JSON.parse(new TextDecoder().decode(answer.value)) as T
  }

  /** `/tx?prove=true`; the node indexes txs just after the block, so a fresh one may need a moment. */
  async function txWithProof(txHash: string) {
    const deadline = clock.now() + 5_000
    for (;;) {
      try {
        return await withNode((client) => client.tx({ hash: hexToBytes(txHash), prove: true }))
      } catch (error) {
        if (!/not found/i.test(String((error as Error).message)) || clock.now() > deadline)
          throw error
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 20))
      }
    }
  }

  async function waitCommitted(tx: Uint8Array): Promise<{ height: number; txHash: string }> {
    const result = await send(tx)
    if (result.code !== 0) throw rejection(result.code, result.log, result.txHash)
    return { height: result.height, txHash: result.txHash }
  }

  return {
    chainId,
    commit: enqueue,
    commitMany: (records) => Promise.all(records.map(enqueue)),
    get: (key) => query<Receipt>(QUERY_PATHS.record, key),
    batch: (batchId) => query<BatchInfo>(QUERY_PATHS.batch, batchId.toLowerCase()),
    async status() {
      return (await query<LedgerStatus>(QUERY_PATHS.status, '')) as LedgerStatus
    },
    async verify(receipt) {
      const offline = verifyReceipt(receipt)
      if (!offline.valid) return offline
      if (receipt.chainId !== chainId)
        return {
          valid: false,
          reason: `receipt is for chain ${receipt.chainId}, this ledger is ${chainId}`,
        }
      const batch = await query<BatchInfo>(QUERY_PATHS.batch, receipt.batchId)
      if (!batch) return { valid: false, reason: `batch ${receipt.batchId} is not on the ledger` }
      if (batch.root !== receipt.batchRoot)
        return { valid: false, reason: 'batchRoot differs from the committed batch root' }
      if (batch.height !== receipt.height || batch.txHash !== receipt.txHash) {
        return { valid: false, reason: 'height or txHash differs from the committed batch' }
      }
      if (
        batch.size !== receipt.treeSize ||
        batch.leafHashes[receipt.leafIndex] !== receipt.leafHash
      ) {
        return { valid: false, reason: 'leaf or tree size differs from the committed batch' }
      }
      // The batch transaction sits in block `height` (CometBFT's own RFC 6962 tx proof against data_hash).
      const found = await txWithProof(receipt.txHash)
      const block = await withNode((client) => client.block(found.height))
      if (
        found.height !== receipt.height ||
        !found.proof ||
        !verifyTxProof(found.tx, found.proof, block.block.header.dataHash)
      ) {
        return { valid: false, reason: 'the batch transaction is not proven in its block' }
      }
      const decoded = decodeLedgerTx(found.tx)
      if (decoded.payload.type !== 'records' || toHex(decoded.payload.root) !== receipt.batchRoot) {
        return { valid: false, reason: 'the transaction in the block carries another root' }
      }
      return { valid: true }
    },
    async enroll(publicKeyHex, role, name) {
      const payload = encodeEnrollment(hexToBytes(publicKeyHex), role, name)
      return waitCommitted(encodeLedgerTx({ chainId, key: signer, nonce: nextNonce(), payload }))
    },
    submitRaw: waitCommitted,
    stats: () => ({
      pendingRecords: queue.length + inFlightRecords,
      queuedRecords: queue.length,
      inFlightTxs: flights.size,
      committedRecords,
      committedTxs,
    }),
    async close() {
      closed = true
      if (flushTimer) clock.clearTimeout(flushTimer)
      if (pollTimer) clock.clearTimeout(pollTimer)
      const error = new LedgerUnavailableError(
        'the ledger client was closed before the record was committed',
      )
      queuedBytes = 0
      for (const item of queue.splice(0)) item.reject(error)
      for (const flight of [...flights.values()]) flight.fail(error)
      ws?.close()
      ws = null
      for (const client of clients) client.disconnect()
    },
  }
}

/** The value of a NewBlockEvents event (CometBFT 0.38 JSON). */
type BlockEventsValue = {
  height: string
  events?: { type: string; attributes?: { key: string; value?: string }[] }[]
}

function parseJson(data: unknown): unknown {
  try {
    return JSON.parse(
      typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array),
    )
  } catch {
    return null
  }
}

/** Largest tx sent as a GET URI (hex doubles it; cometbft's default max_header_bytes is 1 MiB). */
const URI_TX_MAX_BYTES = 384 * 1024

/**
 * `broadcast_tx_sync` over plain JSON-RPC: cosmjs 0.39 decodes the answer's
 * `data` as base64, but CometBFT 0.38 sends it as hex (bytes.HexBytes).
 */
async function broadcastTxSync(
  url: string,
  tx: Uint8Array,
): Promise<{ code: number; log: string; data: Uint8Array; hash: string }> {
  // Up to URI_TX_MAX_BYTES the tx goes as hex in a GET: cometbft decodes that with hex.Decode,
  // where a JSON body costs it encoding/json over the whole base64 string twice (pprof: ~25 % of
  // the receiving validator's CPU under load). Larger txs would pass its 1 MiB header limit.
  const response =
    tx.length <= URI_TX_MAX_BYTES
      ? await fetch(`${url}/broadcast_tx_sync?tx=0x${toHex(tx)}`)
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'broadcast_tx_sync',
            params: { tx: Buffer.from(tx).toString('base64') },
          }),
        })
  const body = (await response.json()) as {
    result?: { code: number; log?: string; data?: string; hash: string }
    error?: { message?: string; data?: string }
  }
  if (body.error || !body.result) {
    throw new Error(
      `${body.error?.message ?? 'broadcast_tx_sync failed'}: ${body.error?.data ?? ''}`,
    )
  }
  const data = body.result.data ?? ''
  return {
    code: body.result.code,
    log: body.result.log ?? '',
    data: /^(?:[0-9A-Fa-f]{2})*$/.test(data)
      ? hexToBytes(data)
      : new Uint8Array(Buffer.from(data, 'base64')),
    hash: body.result.hash,
  }
}

/** The chain id a node reports in /status. */
async function networkOf(url: string): Promise<string> {
  const response = await fetch(`${url}/status`)
  const body = (await response.json()) as { result?: { node_info?: { network?: string } } }
  const network = body.result?.node_info?.network
  if (!network) throw new Error(`no chain id in ${url}/status`)
  return network
}

function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

function parseKeyList(data: Uint8Array | undefined): string[] {
  if (!data || data.length === 0) return []
  try {
    const keys = JSON.parse(new TextDecoder().decode(data)) as unknown
    return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : []
  } catch {
    return []
  }
}

function isNetworkError(error: unknown): boolean {
  const text =
    error instanceof Error
      ? `${error.name} ${error.message} ${String((error as { code?: unknown }).code ?? '')}`
      : String(error)
  return /ECONNREFUSED|ECONNRESET|fetch failed|Unable to connect|socket|network|ConnectionRefused|ConnectionClosed|EPIPE|timed out|FailedToOpenSocket/i.test(
    text,
  )
}

function wrapRpcError(error: unknown, txHash: string): unknown {
  if (error instanceof LedgerUnavailableError) return error
  const message = error instanceof Error ? error.message : String(error)
  // CometBFT refuses some txs before CheckTx (mempool full, tx too large, already in cache).
  if (/mempool is full/i.test(message)) {
    return new LedgerBackpressureError(`the node's mempool is full; retry later (${txHash})`, {
      cause: error,
      meta: { txHash },
    })
  }
  if (/too large/i.test(message)) {
    return new LedgerTxRejectedError(
      `transaction ${txHash} exceeds the node's mempool.max_tx_bytes`,
      TX_CODES.OVERSIZED,
      { cause: error, meta: { txHash } },
    )
  }
  if (/already exists in cache/i.test(message)) {
    return new LedgerTxRejectedError(
      `transaction ${txHash} was already submitted`,
      TX_CODES.DUPLICATE,
      { cause: error, meta: { txHash } },
    )
  }
  return new LedgerUnavailableError(`broadcast of ${txHash} failed: ${message}`, {
    cause: error,
    meta: { txHash },
  })
}
