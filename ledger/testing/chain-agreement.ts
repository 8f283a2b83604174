/**
 * The fork check of fault runs: every node, asked over its own RPC, holds the
 * same block hash and the same app hash at every height they all have, and
 * their apps report the same last app hash once they are level.
 */
import { waitFor } from '../../runtime/testing/index.ts'
import { nodeStatus } from './node-status.ts'

/** What the nodes agreed on: heights compared and the heights where they differ. */
export type ChainAgreement = {
  readonly heights: number
  readonly forkedHeights: readonly number[]
  /** Each node's app (ABCI Info) at the common top: same height and app hash on all. */
  readonly appsAgree: boolean
}

/**
 * The height all nodes reach once the network goes quiet: same block height, none catching up,
 * and the same app height and hash (after a block with txs the network commits one more, empty,
 * block carrying the new app hash, so a first level height may move on). Null when they do not
 * level within `timeoutMs`.
 */
export async function levelHeight(
  rpcUrls: readonly string[],
  timeoutMs: number,
): Promise<number | null> {
  const level = async () => {
    const statuses = await Promise.all(rpcUrls.map(nodeStatus))
    const heights = new Set(statuses.map((s) => (s && !s.catchingUp ? s.height : -1)))
    const apps = new Set(await Promise.all(rpcUrls.map(appInfo)))
    return heights.size === 1 && !heights.has(-1) && apps.size === 1 ? [...heights][0] : null
  }
  return waitFor(level, { timeoutMs, intervalMs: 50, message: 'the nodes to level' }).catch(
    () => null,
  )
}

/** `/blockchain` answers at most 20 block metas per call. */
const METAS_PER_CALL = 20

type BlockMeta = { block_id: { hash: string }; header: { height: string; app_hash: string } }

/** Compares every node's blocks from height 1 to `top` (all nodes must have reached it). */
export async function chainAgreement(
  rpcUrls: readonly string[],
  top: number,
): Promise<ChainAgreement> {
  const forkedHeights: number[] = []
  for (let low = 1; low <= top; low += METAS_PER_CALL) {
    const high = Math.min(top, low + METAS_PER_CALL - 1)
    const views = await Promise.all(rpcUrls.map((url) => blockMetas(url, low, high)))
    for (let height = low; height <= high; height++) {
      const seen = new Set(views.map((view) => view.get(height) ?? 'missing'))
      if (seen.size !== 1 || seen.has('missing')) forkedHeights.push(height)
    }
  }
  const apps = await Promise.all(rpcUrls.map(appInfo))
  const appsAgree = new Set(apps).size === 1 && !apps.includes('unreachable')
  return { heights: top, forkedHeights, appsAgree }
}

/** Block hash and app hash per height, from one node. */
async function blockMetas(rpcUrl: string, low: number, high: number): Promise<Map<number, string>> {
  const response = await fetch(`${rpcUrl}/blockchain?minHeight=${low}&maxHeight=${high}`)
  const body = (await response.json()) as { result?: { block_metas?: BlockMeta[] } }
  const byHeight = new Map<number, string>()
  for (const meta of body.result?.block_metas ?? []) {
    byHeight.set(Number(meta.header.height), `${meta.block_id.hash}/${meta.header.app_hash}`)
  }
  return byHeight
}

/** The app's last height and app hash as the node's ABCI Info reports them. */
async function appInfo(rpcUrl: string): Promise<string> {
  try {
    const response = await fetch(`${rpcUrl}/abci_info`)
    const body = (await response.json()) as {
      result?: { response?: { last_block_height?: string; last_block_app_hash?: string } }
    }
    const info = body.result?.response
    return `${info?.last_block_height ?? '?'}/${info?.last_block_app_hash ?? '?'}`
  } catch {
    return 'unreachable'
  }
}
