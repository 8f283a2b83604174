/**
 * The anchoring job's source of batch roots on a real CometBFT ledger: the vigil ABCI app emits a
 * `vigil_batch` event (batch_id, root, size) for every committed record batch, and CometBFT's tx
 * index answers `tx_search` over them by height. Only the RPC endpoint is needed, so the job can
 * run on any host of the domain.
 */
import { type BaseError, defineError } from '../../runtime/index.ts'
import type { AnchorableBatch, BatchRootSource } from './anchoring-job.ts'
import { rpcFailureDetails } from './create-chain-clients.ts'

/** The CometBFT RPC endpoint failed or answered something unexpected. */
export class CometbftSourceUnavailableError extends defineError('ETH_ANCHOR_SOURCE_UNAVAILABLE') {
  constructor(shortMessage: string, options: ConstructorParameters<typeof BaseError>[2] = {}) {
    super(shortMessage, { kind: 'runtime', ...options })
  }
}

export type CometbftBatchSourceOptions = {
  /** CometBFT RPC endpoint, e.g. http://127.0.0.1:26657. */
  rpcUrl: string
  /** Results per tx_search page (CometBFT allows at most 100). Default 100. */
  pageSize?: number | undefined
  /** Most batches returned per call (the job catches up over several runs). Default 1,000. */
  maxBatches?: number | undefined
}

type TxSearchResult = {
  txs: {
    hash: string
    height: string
    tx_result: {
      code: number
      events: { type: string; attributes: { key: string; value: string }[] }[]
    }
  }[]
  total_count: string
}

/** A {@link BatchRootSource} over CometBFT's `tx_search`. */
export function createCometbftBatchSource(options: CometbftBatchSourceOptions): BatchRootSource {
  const pageSize = Math.min(100, options.pageSize ?? 100)
  const maxBatches = options.maxBatches ?? 1_000
  const call = async (params: Record<string, string>): Promise<TxSearchResult> => {
    let body: { result?: TxSearchResult; error?: { message: string; data?: string } }
    try {
      const response = await fetch(options.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tx_search', params }),
      })
      body = (await response.json()) as typeof body
    } catch (error) {
      throw new CometbftSourceUnavailableError(
        'cannot reach the CometBFT RPC endpoint to read batch roots',
        { details: rpcFailureDetails(error) },
      )
    }
    if (!body.result) {
      throw new CometbftSourceUnavailableError('CometBFT tx_search failed', {
        details: `${body.error?.message ?? 'no result'} ${body.error?.data ?? ''}`.trim(),
      })
    }
    return body.result
  }
  return {
    async latestBatches(sinceHeight) {
      const query = `vigil_batch.batch_id EXISTS AND tx.height > ${Math.max(0, Math.floor(sinceHeight))}`
      const batches: AnchorableBatch[] = []
      for (let page = 1; batches.length < maxBatches; page++) {
        const result = await call({
          query,
          page: String(page),
          per_page: String(pageSize),
          order_by: 'asc',
        })
        for (const tx of result.txs) {
          if (tx.tx_result.code !== 0) continue
          const event = tx.tx_result.events.find((e) => e.type === 'vigil_batch')
          const attribute = (key: string) => event?.attributes.find((a) => a.key === key)?.value
          const batchId = attribute('batch_id')
          const root = attribute('root')
          const size = Number(attribute('size'))
          if (!batchId || !root || !Number.isSafeInteger(size)) continue
          batches.push({ height: Number(tx.height), batchId, root, treeSize: size })
        }
        if (result.txs.length < pageSize || page * pageSize >= Number(result.total_count)) break
      }
      return batches.slice(0, maxBatches)
    },
  }
}
