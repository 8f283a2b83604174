/**
 * Plain-RPC views of one CometBFT node for fault runs (plain JSON, so a node
 * that is down or still syncing answers null instead of throwing in a decoder).
 */

/** A node's latest block and whether it is still catching up. */
export type NodeStatus = { readonly height: number; readonly catchingUp: boolean }

/** `/status` of the node at `rpcUrl`, or null while it does not answer. */
export async function nodeStatus(rpcUrl: string): Promise<NodeStatus | null> {
  try {
    const response = await fetch(`${rpcUrl}/status`, { signal: AbortSignal.timeout(2_000) })
    const body = (await response.json()) as {
      result?: { sync_info?: { latest_block_height?: string; catching_up?: boolean } }
    }
    const info = body.result?.sync_info
    if (!info) return null
    return { height: Number(info.latest_block_height ?? 0), catchingUp: info.catching_up === true }
  } catch {
    return null
  }
}

/**
 * True when the node at `rpcUrl` is stuck one height above `height`, at least
 * `live` validators have prevoted in one of its rounds, and no round holds a
 * quorum (more than 2/3) of precommits: a halt (no quorum), seen in its
 * consensus state rather than assumed after a wait. A validator stopped in
 * the middle of the height may have prevoted before it went, so a round can
 * show more than `live` prevotes and still never commit.
 */
export async function haltedAbove(rpcUrl: string, height: number, live: number): Promise<boolean> {
  const body = await consensusState(rpcUrl)
  const state = body?.result?.round_state
  if (!state) return false
  const stuck = Number(state['height/round/step'].split('/')[0])
  const rounds = state.height_vote_set
  return (
    stuck === height + 1 &&
    rounds.some((round) => bitCount(round.prevotes_bit_array).set >= live) &&
    rounds.every((round) => {
      const precommits = bitCount(round.precommits_bit_array)
      return precommits.set * 3 <= precommits.size * 2
    })
  )
}

/** `/consensus_state` of the node at `rpcUrl`, or null while it does not answer. */
async function consensusState(rpcUrl: string): Promise<ConsensusState | null> {
  try {
    const response = await fetch(`${rpcUrl}/consensus_state`, {
      signal: AbortSignal.timeout(2_000),
    })
    return (await response.json()) as ConsensusState
  } catch {
    return null
  }
}

type ConsensusState = {
  result?: {
    round_state?: {
      'height/round/step': string
      height_vote_set: { prevotes_bit_array: string; precommits_bit_array: string }[]
    }
  }
}

/** Set bits and size of a CometBFT bit array string, e.g. `BA{4:xx__} 20/40 = 0.50` → 2 of 4. */
function bitCount(bitArray: string): { set: number; size: number } {
  const bits = /\{\d+:([x_]*)\}/.exec(bitArray)?.[1] ?? ''
  return { set: [...bits].filter((bit) => bit === 'x').length, size: bits.length }
}

/** The ledger app's `/status` query answer on the node at `rpcUrl` (records, batches, height). */
export async function appStatus(
  rpcUrl: string,
): Promise<{ height: number; appHash: string; records: number }> {
  const response = await fetch(`${rpcUrl}/abci_query?path=%22%2Fstatus%22`)
  const body = (await response.json()) as { result: { response: { value: string } } }
  return JSON.parse(Buffer.from(body.result.response.value, 'base64').toString('utf8'))
}
