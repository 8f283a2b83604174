/**
 * Anchors one batch root in the Anchor contract, unless the same root is anchored already (a
 * read first, so a retried run sends nothing twice). A malformed root or tree size is
 * ETH_INVALID_ARGUMENT before any call.
 */
import type { Hex } from 'viem'
import type { anchor } from '../../contracts/index.ts'
import type { AnchorableBatch } from './anchoring-job.ts'
import { batchKey, toBytes32Hex } from './batch-key.ts'
import { EthInvalidArgumentError } from './errors.ts'
import type { ContractHandle } from './vigil-contracts.ts'

export type BatchAnchoring = { kind: 'already' } | { kind: 'anchored'; gasUsed: bigint }

export async function anchorBatch(
  handle: ContractHandle<typeof anchor.abi>,
  domain: Hex,
  batch: AnchorableBatch,
): Promise<BatchAnchoring> {
  const root = toBytes32Hex(batch.root)
  if (!root || !Number.isSafeInteger(batch.treeSize) || batch.treeSize < 1) {
    throw new EthInvalidArgumentError(
      `batch ${batch.batchId} at height ${batch.height} has a malformed root or tree size`,
    )
  }
  const key = batchKey(batch.batchId)
  const [anchoredRoot] = await handle.read('getAnchor', [domain, BigInt(batch.height), key])
  if (anchoredRoot === root) return { kind: 'already' }
  const result = await handle.write('anchor', [
    domain,
    BigInt(batch.height),
    key,
    root,
    BigInt(batch.treeSize),
  ])
  return { kind: 'anchored', gasUsed: result.gasUsed }
}
