/**
 * `broadcast_tx_sync` over plain JSON-RPC, and the mapping of the node's
 * refusals before CheckTx (mempool full, tx too large, already in cache) to
 * ledger errors. Plain JSON-RPC because cosmjs 0.39 decodes the answer's
 * `data` as base64, but CometBFT 0.38 sends it as hex (bytes.HexBytes).
 */
import { TX_CODES } from '../abci/tx-codes.ts'
import { fromHex, isHex, toHex } from '../encoding/hex.ts'
import {
  LedgerBackpressureError,
  LedgerTxRejectedError,
  LedgerUnavailableError,
} from '../errors.ts'
import { RPC_CALL_TIMEOUT_MS } from './node-pool.ts'

/** Largest tx sent as a GET URI (hex doubles it; cometbft's default max_header_bytes is 1 MiB). */
const URI_TX_MAX_BYTES = 384 * 1024

/** The CheckTx answer of `broadcast_tx_sync`. */
export type BroadcastAnswer = {
  readonly code: number
  readonly log: string
  readonly data: Uint8Array
  readonly hash: string
}

/** Sends `tx` to the node at `url` and answers its CheckTx result; throws when the node refuses it. */
export async function broadcastTxSync(url: string, tx: Uint8Array): Promise<BroadcastAnswer> {
  // Up to URI_TX_MAX_BYTES the tx goes as hex in a GET: cometbft decodes that with hex.Decode,
  // where a JSON body costs it encoding/json over the whole base64 string twice (pprof: ~25 % of
  // the receiving validator's CPU under load). Larger txs would pass its 1 MiB header limit.
  // A node that does not answer in time counts as down (a network error): the pool fails over.
  const signal = AbortSignal.timeout(RPC_CALL_TIMEOUT_MS)
  const response =
    tx.length <= URI_TX_MAX_BYTES
      ? await fetch(`${url}/broadcast_tx_sync?tx=0x${toHex(tx)}`, { signal })
      : await fetch(url, {
          signal,
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
    data: isHex(data) ? fromHex(data) : new Uint8Array(Buffer.from(data, 'base64')),
    hash: body.result.hash,
  }
}

/** True when the node refused the tx because it has these very bytes already (mempool cache). */
export function isAlreadyInCache(error: unknown): boolean {
  return /already exists in cache/i.test(error instanceof Error ? error.message : String(error))
}

/** The ledger error for a failed broadcast of `txHash`. */
export function broadcastError(error: unknown, txHash: string): unknown {
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
