/**
 * A localnet's files: validator keys and configs from `cometbft testnet`, the
 * genesis every node shares (its app_state enrolls a generated admin key and
 * one node key per validator host, key files in `<dir>/keys/`, mode 0600), and
 * `localnet.json`, the manifest that lets a later start reuse the folder.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GenesisAppStateInput } from '../abci/genesis-app-state.ts'
import {
  generateSignerKey,
  loadSignerKey,
  type SignerKey,
  saveSignerKey,
} from '../abci/signer-key.ts'
import { LedgerLocalnetError } from '../errors.ts'

/** What the genesis of a new localnet sets. */
export type GenesisSettings = {
  /** The app's transaction size limit, bytes. */
  readonly maxTxBytes: number
  /** The app's records-per-transaction limit. */
  readonly maxRecordsPerTx: number
  /** consensus_params.block.max_bytes. */
  readonly maxBlockBytes: number
}

/** A localnet folder, ready for its processes. */
export type LocalnetFiles = {
  readonly chainId: string
  /** CometBFT node ids, one per validator, in order. */
  readonly nodeIds: readonly string[]
  /** Genesis admin key (enrolls hosts). */
  readonly adminKey: SignerKey
  /** One enrolled node key per validator host. */
  readonly nodeKeys: readonly SignerKey[]
  readonly keyFiles: { readonly admin: string; readonly nodes: readonly string[] }
  /** True when the folder held a localnet already. */
  readonly reused: boolean
}

type Manifest = {
  chainId: string
  validators: number
  nodeIds: string[]
}

/** Reuses the localnet in `dir` (it must have `count` validators), or creates one there. */
export async function prepareLocalnetFiles(
  binary: string,
  dir: string,
  count: number,
  genesis: GenesisSettings,
): Promise<LocalnetFiles> {
  const keyDir = join(dir, 'keys')
  const keyFiles = {
    admin: join(keyDir, 'admin.json'),
    nodes: Array.from({ length: count }, (_, i) => join(keyDir, `node${i}.json`)),
  }
  const manifestFile = join(dir, 'localnet.json')
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest
    if (manifest.validators !== count) {
      throw new LedgerLocalnetError(
        `${dir} holds a ${manifest.validators}-validator localnet; use --validators ${manifest.validators} or another --dir`,
      )
    }
    const adminKey = await loadSignerKey(keyFiles.admin)
    const nodeKeys = await Promise.all(keyFiles.nodes.map(loadSignerKey))
    return { ...manifest, adminKey, nodeKeys, keyFiles, reused: true }
  }
  runCometbft(binary, [
    'testnet',
    '--v',
    String(count),
    '--o',
    dir,
    '--starting-ip-address',
    '127.0.0.1',
    '--populate-persistent-peers=false',
  ])
  await mkdir(keyDir, { recursive: true, mode: 0o700 })
  const adminKey = generateSignerKey()
  const nodeKeys = Array.from({ length: count }, generateSignerKey)
  await saveSignerKey(adminKey, keyFiles.admin)
  await Promise.all(nodeKeys.map((key, i) => saveSignerKey(key, keyFiles.nodes[i] as string)))
  const chainId = await writeGenesis(
    dir,
    count,
    genesisAppState(adminKey, nodeKeys, genesis),
    genesis,
  )
  const nodeIds = Array.from({ length: count }, (_, i) =>
    runCometbft(binary, ['show-node-id', '--home', join(dir, `node${i}`)]),
  )
  const manifest: Manifest = { chainId, validators: count, nodeIds }
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
  return { ...manifest, adminKey, nodeKeys, keyFiles, reused: false }
}

function genesisAppState(
  adminKey: SignerKey,
  nodeKeys: readonly SignerKey[],
  genesis: GenesisSettings,
): GenesisAppStateInput {
  return {
    signers: [
      { publicKeyHex: adminKey.publicKeyHex, role: 'admin', name: 'admin' },
      ...nodeKeys.map((key, i) => ({
        publicKeyHex: key.publicKeyHex,
        role: 'node' as const,
        name: `node${i}`,
      })),
    ],
    maxTxBytes: genesis.maxTxBytes,
    maxRecordsPerTx: genesis.maxRecordsPerTx,
  }
}

/** Puts `appState` into node0's generated genesis, writes it to every node; answers the chain id. */
async function writeGenesis(
  dir: string,
  count: number,
  appState: GenesisAppStateInput,
  settings: GenesisSettings,
): Promise<string> {
  const genesis = JSON.parse(
    await readFile(join(dir, 'node0', 'config', 'genesis.json'), 'utf8'),
  ) as Record<string, unknown>
  genesis.app_state = appState
  // Smaller blocks than CometBFT's 21 MiB default: huge blocks gossip slowly and time out rounds.
  const consensusParams = genesis.consensus_params as { block: { max_bytes: string } }
  consensusParams.block.max_bytes = String(settings.maxBlockBytes)
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`
  for (let i = 0; i < count; i++) {
    await writeFile(join(dir, `node${i}`, 'config', 'genesis.json'), genesisText)
  }
  return genesis.chain_id as string
}

/** Runs a cometbft subcommand to completion; answers its trimmed stdout. */
function runCometbft(binary: string, args: readonly string[]): string {
  const run = Bun.spawnSync([binary, ...args], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) {
    throw new LedgerLocalnetError(`cometbft ${args[0]} failed: ${run.stderr.toString().trim()}`)
  }
  return run.stdout.toString().trim()
}
