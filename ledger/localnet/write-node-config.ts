/**
 * Writes a localnet validator's config.toml: its ports, its app's socket, its
 * peers (a ring) and the fast consensus timeouts, keeping every other line
 * `cometbft testnet` generated.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LocalnetNode } from './localnet-node.ts'
import type { LocalnetTimeouts } from './localnet-timeouts.ts'
import { patchToml, type TomlPatch, tomlString } from './patch-toml.ts'

/** The settings of a localnet's configs that the caller chooses. */
export type NodeConfigSettings = {
  readonly timeouts: LocalnetTimeouts
  /** CometBFT log level. */
  readonly logLevel: string
  /** The tx indexer (`/tx` lookups, tx proofs and polling need 'kv'). */
  readonly txIndexer: 'kv' | 'null'
  /** Propose blocks without transactions. */
  readonly createEmptyBlocks: boolean
}

/** Patches `<home>/config/config.toml` of `node`, which peers with its neighbours in `nodes`. */
export async function writeNodeConfig(
  node: LocalnetNode,
  nodes: readonly LocalnetNode[],
  settings: NodeConfigSettings,
): Promise<void> {
  const configFile = join(node.home, 'config', 'config.toml')
  const text = await readFile(configFile, 'utf8')
  await writeFile(
    configFile,
    patchToml(text, nodeConfigPatch(node, ringPeers(node, nodes), settings)),
  )
}

/**
 * A ring (each node peers with its two neighbours), not a full mesh: in a mesh every node
 * re-gossips each mempool tx to every other node, so a tx crosses ~3× more links and the
 * duplicates cost CPU (cometbft 0.38 hex-formats each duplicate it drops). A ring stays
 * connected with any one node down; up to 3 nodes a ring is a mesh.
 */
function ringPeers(node: LocalnetNode, nodes: readonly LocalnetNode[]): string {
  const count = nodes.length
  return nodes
    .filter(
      (other) =>
        other.index !== node.index &&
        (count <= 3 ||
          other.index === (node.index + 1) % count ||
          other.index === (node.index + count - 1) % count),
    )
    .map((other) => `${other.nodeId}@127.0.0.1:${other.p2pPort}`)
    .join(',')
}

function nodeConfigPatch(
  node: LocalnetNode,
  peers: string,
  settings: NodeConfigSettings,
): TomlPatch {
  const { timeouts } = settings
  const ms = (value: number) => tomlString(`${Math.max(0, Math.round(value))}ms`)
  return {
    '': {
      proxy_app: tomlString(node.abciAddress),
      moniker: tomlString(`node${node.index}`),
      log_level: tomlString(settings.logLevel),
    },
    rpc: {
      laddr: tomlString(`tcp://127.0.0.1:${node.rpcPort}`),
      max_body_bytes: String(64 * 1024 * 1024),
      max_subscription_clients: '1000',
      max_subscriptions_per_client: '50',
      experimental_subscription_buffer_size: '10000',
      experimental_websocket_write_buffer_size: '10000',
    },
    p2p: {
      laddr: tomlString(`tcp://127.0.0.1:${node.p2pPort}`),
      persistent_peers: tomlString(peers),
      addr_book_strict: 'false',
      allow_duplicate_ip: 'true',
      pex: 'false',
      flush_throttle_timeout: ms(10),
      send_rate: String(200 * 1024 * 1024),
      recv_rate: String(200 * 1024 * 1024),
    },
    mempool: {
      // Validity cannot change for a tx once checked, except by conflicts FinalizeBlock catches.
      recheck: 'false',
      size: '50000',
      cache_size: '200000',
      max_tx_bytes: String(16 * 1024 * 1024),
      max_txs_bytes: String(1024 * 1024 * 1024),
    },
    tx_index: { indexer: tomlString(settings.txIndexer) },
    consensus: {
      timeout_propose: ms(timeouts.proposeMs),
      timeout_propose_delta: ms(timeouts.proposeDeltaMs),
      timeout_prevote: ms(timeouts.voteMs),
      timeout_prevote_delta: ms(timeouts.voteDeltaMs),
      timeout_precommit: ms(timeouts.voteMs),
      timeout_precommit_delta: ms(timeouts.voteDeltaMs),
      timeout_commit: ms(timeouts.commitMs),
      skip_timeout_commit: String(timeouts.commitMs === 0),
      create_empty_blocks: String(settings.createEmptyBlocks),
      peer_gossip_sleep_duration: ms(timeouts.gossipSleepMs),
      peer_query_maj23_sleep_duration: ms(250),
    },
  }
}
