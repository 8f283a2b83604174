/**
 * Test helper: commits records to a vigil CometBFT ledger through its RPC (signed record-batch
 * transaction, broadcast_tx_sync) and fetches their receipts (abci_query /record). A stand-in
 * until the CometBFT ledger client lands; it uses that branch's own tx encoding.
 */

import { waitFor } from '../../../runtime/testing/wait-for.ts'
import { encodeLedgerTx, encodeRecordBatch } from '../../abci/ledger-tx.ts'
import type { SignerKey } from '../../abci/signer-key.ts'
import type { LedgerRecord, Receipt } from '../../protocol.ts'

let nextNonce = BigInt(Date.now()) * 1000n

async function rpc(rpcUrl: string, method: string, params: Record<string, unknown>) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as {
    result?: unknown
    error?: { message: string; data?: string }
  }
  if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ''}`)
  return body.result as Record<string, unknown>
}

/** The receipt of `key`, or null while it is not committed. */
export async function fetchReceipt(rpcUrl: string, key: string): Promise<Receipt | null> {
  const result = await rpc(rpcUrl, 'abci_query', {
    path: '/record',
    data: Buffer.from(key).toString('hex'),
  })
  const response = result.response as { code: number; value?: string | null }
  if (response.code !== 0 || !response.value) return null
  return JSON.parse(Buffer.from(response.value, 'base64').toString('utf8')) as Receipt
}

/** Broadcasts one signed batch of `records` and resolves with their receipts once committed. */
export async function commitRecords(
  rpcUrl: string,
  chainId: string,
  key: SignerKey,
  records: readonly LedgerRecord[],
): Promise<Receipt[]> {
  const { payload } = encodeRecordBatch(records)
  nextNonce += 1n
  const tx = encodeLedgerTx({ chainId, key, nonce: nextNonce, payload })
  const sent = await rpc(rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') })
  if (sent.code !== 0) throw new Error(`CheckTx refused the batch: ${String(sent.log)}`)
  return Promise.all(
    records.map((record) =>
      waitFor(() => fetchReceipt(rpcUrl, record.key), {
        timeoutMs: 30_000,
        message: `receipt of ${record.key}`,
      }),
    ),
  )
}
