/**
 * Verifies a receipt offline, then against the chain: the batch row the app
 * keeps, then the batch transaction in its block (CometBFT's own RFC 6962 tx
 * proof against the header's data_hash) carrying the receipt's root.
 */
import type { Clock } from '../../runtime/index.ts'
import { decodeLedgerTx, txHashBytes } from '../abci/ledger-tx.ts'
import { type BatchInfo, QUERY_PATHS } from '../abci/query-paths.ts'
import { toHex } from '../encoding/hex.ts'
import { type ReceiptVerification, verifyReceipt } from '../merkle/verify-receipt.ts'
import type { Receipt } from '../protocol.ts'
import { abciQuery } from './abci-query.ts'
import type { NodePool } from './node-pool.ts'
import { verifyTxProof } from './verify-tx-proof.ts'

/** Longest a verification waits for the node to index a fresh transaction, ms. */
const TX_INDEX_WAIT_MS = 5_000
/** How often it asks meanwhile, ms. */
const TX_INDEX_POLL_MS = 20

/** The network a receipt is checked against. */
export type ReceiptChain = {
  readonly nodes: NodePool
  readonly chainId: string
  readonly clock: Clock
}

/** Valid when the proof holds and the chain holds the batch and its transaction as the receipt says. */
export async function verifyCommittedReceipt(
  receipt: Receipt,
  chain: ReceiptChain,
): Promise<ReceiptVerification> {
  const offline = verifyReceipt(receipt)
  if (!offline.valid) return offline
  if (receipt.chainId !== chain.chainId)
    return {
      valid: false,
      reason: `receipt is for chain ${receipt.chainId}, this ledger is ${chain.chainId}`,
    }
  const batch = await abciQuery<BatchInfo>(chain.nodes, QUERY_PATHS.batch, receipt.batchId)
  const batchProblem = batchMismatch(receipt, batch)
  if (batchProblem) return { valid: false, reason: batchProblem }
  const found = await txWithProof(chain, receipt.txHash)
  const block = await chain.nodes.withNode((client) => client.block(found.height))
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
}

/** How the committed batch row differs from the receipt, or null when it matches. */
function batchMismatch(receipt: Receipt, batch: BatchInfo | null): string | null {
  if (!batch) return `batch ${receipt.batchId} is not on the ledger`
  if (batch.root !== receipt.batchRoot) return 'batchRoot differs from the committed batch root'
  if (batch.height !== receipt.height || batch.txHash !== receipt.txHash)
    return 'height or txHash differs from the committed batch'
  if (batch.size !== receipt.treeSize || batch.leafHashes[receipt.leafIndex] !== receipt.leafHash)
    return 'leaf or tree size differs from the committed batch'
  return null
}

/** `/tx?prove=true`; the node indexes txs just after the block, so a fresh one may need a moment. */
async function txWithProof(chain: ReceiptChain, txHash: string) {
  const { clock, nodes } = chain
  const deadline = clock.now() + TX_INDEX_WAIT_MS
  for (;;) {
    try {
      return await nodes.withNode((client) => client.tx({ hash: txHashBytes(txHash), prove: true }))
    } catch (error) {
      if (!/not found/i.test(String((error as Error).message)) || clock.now() > deadline)
        throw error
      await new Promise<void>((resolve) => clock.setTimeout(resolve, TX_INDEX_POLL_MS))
    }
  }
}
