/**
 * Verifies a receipt offline, then against the chain: the batch row the app
 * keeps (its header: root, size, height, tx), then the batch transaction in
 * its block (CometBFT's own RFC 6962 tx proof against the header's
 * data_hash, read from the block's meta, not the whole block) carrying the
 * receipt's root. The batch's leaf hashes are not fetched: the offline walk
 * proves the leaf sits at its index in a tree of `treeSize` leaves with root
 * `batchRoot`, so a committed batch with that root and size holds that leaf
 * there (RFC 6962 is collision resistant), without the app re-hashing and
 * sending every leaf of the batch.
 */
import type { Clock } from '../../runtime/index.ts'
import { decodeLedgerTx, txHashBytes } from '../abci/ledger-tx.ts'
import { type BatchHeader, QUERY_PATHS } from '../abci/query-paths.ts'
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
  const batch = await abciQuery<BatchHeader>(chain.nodes, QUERY_PATHS.batchHeader, receipt.batchId)
  const batchProblem = batchMismatch(receipt, batch)
  if (batchProblem) return { valid: false, reason: batchProblem }
  const found = await txWithProof(chain, receipt.txHash)
  const dataHash = await blockDataHash(chain, found.height)
  if (
    found.height !== receipt.height ||
    !found.proof ||
    !dataHash ||
    !verifyTxProof(found.tx, found.proof, dataHash)
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
function batchMismatch(receipt: Receipt, batch: BatchHeader | null): string | null {
  if (!batch) return `batch ${receipt.batchId} is not on the ledger`
  if (batch.root !== receipt.batchRoot) return 'batchRoot differs from the committed batch root'
  if (batch.height !== receipt.height || batch.txHash !== receipt.txHash)
    return 'height or txHash differs from the committed batch'
  if (batch.size !== receipt.treeSize) return 'tree size differs from the committed batch'
  return null
}

/** The data_hash of the block at `height`, from its meta (`/blockchain`), not the whole block. */
async function blockDataHash(chain: ReceiptChain, height: number): Promise<Uint8Array | null> {
  const { blockMetas } = await chain.nodes.withNode((client) => client.blockchain(height, height))
  const meta = blockMetas.find((m) => m.header.height === height)
  return meta ? meta.header.dataHash : null
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
