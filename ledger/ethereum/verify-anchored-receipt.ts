/**
 * Cross-domain verification of a CometBFT ledger receipt: another domain holds only the receipt
 * and the shared Ethereum chain. The receipt is valid when its batch root is the root anchored
 * for (domain = receipt.chainId, height, batchId) and its RFC 6962 audit path leads from the
 * leaf hash to that root — checked by the Anchor contract itself (`verifyInclusion`, sha256
 * precompile), so the verdict does not rest on this host's Merkle code. An optional offline
 * check (the CometBFT ledger's verifyReceipt) additionally ties the record to its leaf hash.
 */

import type { Hex } from 'viem'
import type { anchor } from '../../contracts/index.ts'
import type { Receipt } from '../protocol.ts'
import { batchKey, toBytes32Hex } from './batch-key.ts'
import { domainId } from './bytes32-name.ts'
import type { ContractHandle } from './vigil-contracts.ts'

export type AnchoredReceiptVerification =
  | {
      readonly valid: true
      /** Ethereum block and time (unix s) at which the batch root was anchored. */
      readonly anchoredAtBlock: number
      readonly anchoredAt: number
    }
  | { readonly valid: false; readonly reason: string }

export type VerifyAnchoredReceiptOptions = {
  /** Offline receipt check run first (e.g. ledger/merkle verifyReceipt: record → leaf → root). */
  offlineCheck?: ((receipt: Receipt) => { valid: boolean; reason?: string }) | undefined
}

/** Checks `receipt` against the root anchored on Ethereum; never throws on a bad receipt. */
export async function verifyAnchoredReceipt(
  receipt: Receipt,
  anchorContract: ContractHandle<typeof anchor.abi>,
  options: VerifyAnchoredReceiptOptions = {},
): Promise<AnchoredReceiptVerification> {
  const leafHash = toBytes32Hex(receipt.leafHash)
  const batchRoot = toBytes32Hex(receipt.batchRoot)
  const path = receipt.auditPath.map(toBytes32Hex).filter((hash): hash is Hex => hash !== null)
  if (!leafHash || !batchRoot || path.length !== receipt.auditPath.length) {
    return invalid('leafHash, batchRoot and auditPath must be 32-byte hex hashes')
  }
  if (!Number.isSafeInteger(receipt.height) || receipt.height < 0) {
    return invalid('height must be a non-negative integer')
  }
  if (!Number.isSafeInteger(receipt.leafIndex) || receipt.leafIndex < 0) {
    return invalid('leafIndex must be a non-negative integer')
  }
  if (typeof receipt.chainId !== 'string' || receipt.chainId.length === 0) {
    return invalid('chainId (the domain) is missing')
  }
  if (options.offlineCheck) {
    const offline = options.offlineCheck(receipt)
    if (!offline.valid) return invalid(`offline check failed: ${offline.reason ?? 'invalid'}`)
  }
  const domain = domainId(receipt.chainId)
  const height = BigInt(receipt.height)
  const batchId = batchKey(receipt.batchId)
  const [root, treeSize, blockNumber, timestamp] = await anchorContract.read('getAnchor', [
    domain,
    height,
    batchId,
  ])
  if (/^0x0{64}$/.test(root)) {
    return invalid(
      `batch ${receipt.batchId} at height ${receipt.height} of ${receipt.chainId} is not anchored`,
    )
  }
  if (root !== batchRoot) return invalid('batchRoot differs from the root anchored on Ethereum')
  if (treeSize !== BigInt(receipt.treeSize)) {
    return invalid(`treeSize ${receipt.treeSize} differs from the anchored ${treeSize}`)
  }
  const included = await anchorContract.read('verifyInclusion', [
    domain,
    height,
    batchId,
    leafHash,
    BigInt(receipt.leafIndex),
    path,
  ])
  if (!included) return invalid('audit path does not lead from leafHash to the anchored root')
  return { valid: true, anchoredAtBlock: Number(blockNumber), anchoredAt: Number(timestamp) }
}

function invalid(reason: string): AnchoredReceiptVerification {
  return { valid: false, reason }
}
