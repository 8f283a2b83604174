/**
 * A CometBFT network on one machine: N validators on loopback, each with its
 * own vigil ABCI app process and SQLite file, wired with persistent peers and
 * fast consensus timeouts. Used by `vigil ledger localnet`, the integration
 * tests, the benchmarks and the one-machine domain of `npm start`.
 *
 * Keys and genesis come from `cometbft testnet`; ports are chosen free at run
 * time (nothing fixed); the apps listen on Unix sockets in the node folders.
 * The genesis app_state enrolls a generated admin key and one node key per
 * validator host (key files in `<dir>/keys/`, mode 0600).
 *
 * No orphans: apps exit when their stdin (a pipe from this process) closes,
 * a node stops itself when its app's socket drops, and every child still
 * alive is killed when this process exits. Use `await using net = await
 * startLocalnet(...)` so a failing test still stops everything.
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { waitFor } from '../../runtime/testing/wait-for.ts'
import type { GenesisAppStateInput } from '../abci/genesis-app-state.ts'
import {
  generateSignerKey,
  loadSignerKey,
  type SignerKey,
  saveSignerKey,
} from '../abci/signer-key.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { ABCI_MAIN, cometbftBinary } from './cometbft-binary.ts'
import { freePorts } from './free-port.ts'
import { patchToml, tomlString } from './patch-toml.ts'

/** Consensus timeouts of every validator (identical on all, as ADR-074 asks). */
export type LocalnetTimeouts = {
  /** timeout_propose, ms (default 400). Keep above the app's PrepareProposal time. */
  readonly proposeMs: number
  /** timeout_propose_delta, ms per round (default 100). */
  readonly proposeDeltaMs: number
  /** timeout_prevote and timeout_precommit, ms (default 100). */
  readonly voteMs: number
  /** timeout_prevote_delta and timeout_precommit_delta, ms per round (default 50). */
  readonly voteDeltaMs: number
  /** timeout_commit, ms (default 0, with skip_timeout_commit). */
  readonly commitMs: number
}

/** Fast local timeouts (CometBFT's own test config is 40/10/10/10 ms). */
export const FAST_TIMEOUTS: LocalnetTimeouts = {
  proposeMs: 400,
  proposeDeltaMs: 100,
  voteMs: 100,
  voteDeltaMs: 50,
  commitMs: 0,
}

export type LocalnetOptions = {
  /** Number of validators (≥ 1). */
  readonly validators: number
  /** Folder for keys, configs, data and logs; reused if it holds a localnet. Default: a fresh temp folder, removed on stop. */
  readonly dir?: string | undefined
  readonly timeouts?: Partial<LocalnetTimeouts> | undefined
  /** The app's transaction size limit (genesis), bytes. Default 4 MiB. */
  readonly maxTxBytes?: number | undefined
  /** The app's records-per-transaction limit (genesis). Default 20,000. */
  readonly maxRecordsPerTx?: number | undefined
  /** Extra bun flags for the ABCI app processes, e.g. ['--cpu-prof-md', '--cpu-prof-dir=…'] to profile them. */
  readonly appRuntimeFlags?: readonly string[] | undefined
  /** The tx indexer (default 'kv'; `/tx` lookups, tx proofs and polling need it). */
  readonly txIndexer?: 'kv' | 'null' | undefined
  /** consensus_params.block.max_bytes in genesis (default 4 MiB). */
  readonly maxBlockBytes?: number | undefined
  /** Propose blocks without transactions (default false: the network is quiet when idle). */
  readonly createEmptyBlocks?: boolean | undefined
  /** CometBFT log level (default 'error'). */
  readonly logLevel?: string | undefined
  /** How long to wait for the network to produce its first block, ms (default 60,000). */
  readonly readyTimeoutMs?: number | undefined
  /** Keep a temp dir after stop (default false; a given `dir` is always kept). */
  readonly keepDir?: boolean | undefined
  /** Structured progress events. */
  readonly log?: ((event: string, data?: Record<string, unknown>) => void) | undefined
}

export type LocalnetNode = {
  readonly index: number
  readonly home: string
  readonly nodeId: string
  readonly p2pPort: number
  readonly rpcPort: number
  /** http://127.0.0.1:<rpcPort> */
  readonly rpcUrl: string
  /** ws://127.0.0.1:<rpcPort>/websocket */
  readonly wsUrl: string
  /** unix:///…/abci.sock */
  readonly abciAddress: string
  readonly dbFile: string
}

export type Localnet = {
  readonly dir: string
  readonly chainId: string
  readonly nodes: readonly LocalnetNode[]
  readonly rpcUrls: readonly string[]
  /** Genesis admin key (enrolls hosts). */
  readonly adminKey: SignerKey
  /** One enrolled node key per validator host. */
  readonly nodeKeys: readonly SignerKey[]
  readonly keyFiles: { readonly admin: string; readonly nodes: readonly string[] }
  /** Stops every process (and removes a temp dir). Idempotent. */
  stop(): Promise<void>
  /** Stops validator `i` and its app. */
  stopValidator(index: number): Promise<void>
  /** Starts validator `i` and its app again (same ports, same data). */
  startValidator(index: number): Promise<void>
  /** Kills app `i` as a crash would; its node stops with it; both are started again. */
  restartApp(index: number): Promise<void>
  isRunning(index: number): boolean
  /** Process ids of the running validators and apps (for RSS/CPU measurements). */
  pids(): { validators: number[]; apps: number[] }
  [Symbol.asyncDispose](): Promise<void>
}

type Manifest = {
  chainId: string
  validators: number
  nodeIds: string[]
}

type Running = { app: Subprocess | null; node: Subprocess | null }

const live = new Set<Subprocess>()
let exitHookInstalled = false
function track(proc: Subprocess): void {
  live.add(proc)
  void proc.exited.then(() => live.delete(proc))
  if (!exitHookInstalled) {
    exitHookInstalled = true
    // Last resort if stop() never ran (a crashed test run): no child outlives us.
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL')
    })
  }
}

/** Creates (or reuses) and starts a localnet; resolves once it has produced a block. */
export async function startLocalnet(options: LocalnetOptions): Promise<Localnet> {
  const count = options.validators
  if (!Number.isInteger(count) || count < 1 || count > 32) {
    throw new LedgerLocalnetError(`validators must be an integer from 1 to 32, got ${count}`)
  }
  const log = options.log ?? (() => {})
  const binary = cometbftBinary()
  const tempDir = options.dir === undefined
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'vigil-net-')))
  await mkdir(dir, { recursive: true })
  const timeouts = { ...FAST_TIMEOUTS, ...options.timeouts }
  const manifestFile = join(dir, 'localnet.json')
  const keyDir = join(dir, 'keys')
  const keyFiles = {
    admin: join(keyDir, 'admin.json'),
    nodes: Array.from({ length: count }, (_, i) => join(keyDir, `node${i}.json`)),
  }

  let manifest: Manifest
  let adminKey: SignerKey
  let nodeKeys: SignerKey[]
  if (existsSync(manifestFile)) {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest
    if (manifest.validators !== count) {
      throw new LedgerLocalnetError(
        `${dir} holds a ${manifest.validators}-validator localnet; use --validators ${manifest.validators} or another --dir`,
      )
    }
    adminKey = await loadSignerKey(keyFiles.admin)
    nodeKeys = await Promise.all(keyFiles.nodes.map(loadSignerKey))
    log('localnet.reuse', { dir })
  } else {
    const made = Bun.spawnSync(
      [
        binary,
        'testnet',
        '--v',
        String(count),
        '--o',
        dir,
        '--starting-ip-address',
        '127.0.0.1',
        '--populate-persistent-peers=false',
      ],
      { stderr: 'pipe', stdout: 'pipe' },
    )
    if (made.exitCode !== 0) {
      throw new LedgerLocalnetError(`cometbft testnet failed: ${made.stderr.toString().trim()}`)
    }
    await mkdir(keyDir, { recursive: true, mode: 0o700 })
    adminKey = generateSignerKey()
    nodeKeys = Array.from({ length: count }, generateSignerKey)
    await saveSignerKey(adminKey, keyFiles.admin)
    await Promise.all(nodeKeys.map((key, i) => saveSignerKey(key, keyFiles.nodes[i] as string)))
    const appState: GenesisAppStateInput = {
      signers: [
        { publicKeyHex: adminKey.publicKeyHex, role: 'admin', name: 'admin' },
        ...nodeKeys.map((key, i) => ({
          publicKeyHex: key.publicKeyHex,
          role: 'node' as const,
          name: `node${i}`,
        })),
      ],
      maxTxBytes: options.maxTxBytes ?? 4 * 1024 * 1024,
      maxRecordsPerTx: options.maxRecordsPerTx ?? 20_000,
    }
    const genesis = JSON.parse(
      await readFile(join(dir, 'node0', 'config', 'genesis.json'), 'utf8'),
    ) as Record<string, unknown>
    genesis.app_state = appState
    // Smaller blocks than CometBFT's 21 MiB default: huge blocks gossip slowly and time out rounds.
    const consensusParams = genesis.consensus_params as { block: { max_bytes: string } }
    consensusParams.block.max_bytes = String(options.maxBlockBytes ?? 4 * 1024 * 1024)
    const genesisText = `${JSON.stringify(genesis, null, 2)}\n`
    const nodeIds: string[] = []
    for (let i = 0; i < count; i++) {
      const home = join(dir, `node${i}`)
      await writeFile(join(home, 'config', 'genesis.json'), genesisText)
      const id = Bun.spawnSync([binary, 'show-node-id', '--home', home], {
        stdout: 'pipe',
        stderr: 'pipe',
      })
      if (id.exitCode !== 0)
        throw new LedgerLocalnetError(
          `cometbft show-node-id failed: ${id.stderr.toString().trim()}`,
        )
      nodeIds.push(id.stdout.toString().trim())
    }
    manifest = { chainId: genesis.chain_id as string, validators: count, nodeIds }
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
    log('localnet.created', { dir, chainId: manifest.chainId })
  }

  const ports = freePorts(count * 2)
  const nodes: LocalnetNode[] = manifest.nodeIds.map((nodeId, index) => {
    const home = join(dir, `node${index}`)
    const p2pPort = ports[index * 2] as number
    const rpcPort = ports[index * 2 + 1] as number
    return {
      index,
      home,
      nodeId,
      p2pPort,
      rpcPort,
      rpcUrl: `http://127.0.0.1:${rpcPort}`,
      wsUrl: `ws://127.0.0.1:${rpcPort}/websocket`,
      abciAddress: `unix://${join(home, 'abci.sock')}`,
      dbFile: join(home, 'data', 'vigil-ledger.sqlite'),
    }
  })
  const ms = (value: number) => tomlString(`${Math.max(0, Math.round(value))}ms`)
  for (const node of nodes) {
    // A ring (each node peers with its two neighbours), not a full mesh: in a mesh every node
    // re-gossips each mempool tx to every other node, so a tx crosses ~3× more links and the
    // duplicates cost CPU (cometbft 0.38 hex-formats each duplicate it drops). A ring stays
    // connected with any one node down; up to 3 nodes a ring is a mesh.
    const count = nodes.length
    const peers = nodes
      .filter(
        (other) =>
          other.index !== node.index &&
          (count <= 3 ||
            other.index === (node.index + 1) % count ||
            other.index === (node.index + count - 1) % count),
      )
      .map((other) => `${other.nodeId}@127.0.0.1:${other.p2pPort}`)
      .join(',')
    const configFile = join(node.home, 'config', 'config.toml')
    const text = await readFile(configFile, 'utf8')
    await writeFile(
      configFile,
      patchToml(text, {
        '': {
          proxy_app: tomlString(node.abciAddress),
          moniker: tomlString(`node${node.index}`),
          log_level: tomlString(options.logLevel ?? 'error'),
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
        tx_index: { indexer: tomlString(options.txIndexer ?? 'kv') },
        consensus: {
          timeout_propose: ms(timeouts.proposeMs),
          timeout_propose_delta: ms(timeouts.proposeDeltaMs),
          timeout_prevote: ms(timeouts.voteMs),
          timeout_prevote_delta: ms(timeouts.voteDeltaMs),
          timeout_precommit: ms(timeouts.voteMs),
          timeout_precommit_delta: ms(timeouts.voteDeltaMs),
          timeout_commit: ms(timeouts.commitMs),
          skip_timeout_commit: String(timeouts.commitMs === 0),
          create_empty_blocks: String(options.createEmptyBlocks ?? false),
          peer_gossip_sleep_duration: ms(10),
          peer_query_maj23_sleep_duration: ms(250),
        },
      }),
    )
  }

  const running: Running[] = nodes.map(() => ({ app: null, node: null }))
  let stopped = false

  async function startApp(node: LocalnetNode): Promise<void> {
    const slot = running[node.index] as Running
    const socketPath = node.abciAddress.slice('unix://'.length)
    await rm(socketPath, { force: true })
    const logFd = openSync(join(node.home, 'app.log'), 'a')
    const app = Bun.spawn(
      [
        process.execPath,
        ...(options.appRuntimeFlags ?? []),
        ABCI_MAIN,
        '--address',
        node.abciAddress,
        '--db',
        node.dbFile,
        '--exit-with-parent',
      ],
      {
        stdin: 'pipe',
        stdout: logFd,
        stderr: logFd,
      },
    )
    closeSync(logFd)
    track(app)
    slot.app = app
    await waitFor(() => existsSync(socketPath) || app.exitCode !== null, {
      timeoutMs: 15_000,
      message: `ABCI app ${node.index} to listen on ${socketPath}`,
    })
    if (app.exitCode !== null) {
      throw new LedgerLocalnetError(
        `ABCI app ${node.index} exited with ${app.exitCode}; see ${join(node.home, 'app.log')}`,
      )
    }
  }

  function startNode(node: LocalnetNode): void {
    const slot = running[node.index] as Running
    const logFd = openSync(join(node.home, 'cometbft.log'), 'a')
    const proc = Bun.spawn([binary, 'start', '--home', node.home], {
      stdin: 'ignore',
      stdout: logFd,
      stderr: logFd,
    })
    closeSync(logFd)
    track(proc)
    slot.node = proc
  }

  async function stopProcess(
    proc: Subprocess | null,
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<void> {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill(signal)
    const exited = await Promise.race([
      proc.exited.then(() => true),
      Bun.sleep(5_000).then(() => false),
    ])
    if (!exited) {
      proc.kill('SIGKILL')
      await proc.exited
    }
  }

  async function startValidator(index: number): Promise<void> {
    const node = nodeAt(index)
    if (isRunning(index)) return
    await startApp(node)
    startNode(node)
    await waitForRpc(node)
    log('localnet.validator_started', { index })
  }

  async function stopValidator(index: number): Promise<void> {
    const slot = running[index] as Running
    nodeAt(index)
    // The node first, so it does not see its app vanish mid-block.
    await stopProcess(slot.node)
    await stopProcess(slot.app)
    slot.node = null
    slot.app = null
    log('localnet.validator_stopped', { index })
  }

  async function restartApp(index: number): Promise<void> {
    const node = nodeAt(index)
    const slot = running[index] as Running
    // A crash: SIGKILL the app. CometBFT notices the dropped connection and stops itself.
    await stopProcess(slot.app, 'SIGKILL')
    if (slot.node) {
      const nodeProc = slot.node
      const exited = await Promise.race([
        nodeProc.exited.then(() => true),
        Bun.sleep(10_000).then(() => false),
      ])
      if (!exited) await stopProcess(nodeProc)
    }
    slot.app = null
    slot.node = null
    await startApp(node)
    startNode(node)
    await waitForRpc(node)
    log('localnet.app_restarted', { index })
  }

  function isRunning(index: number): boolean {
    const slot = running[index]
    return Boolean(slot?.node && slot.node.exitCode === null && slot.node.signalCode === null)
  }

  function nodeAt(index: number): LocalnetNode {
    const node = nodes[index]
    if (!node) throw new LedgerLocalnetError(`no validator ${index}; this localnet has ${count}`)
    return node
  }

  async function waitForRpc(node: LocalnetNode): Promise<void> {
    await waitFor(
      async () => {
        const slot = running[node.index] as Running
        if (slot.node?.exitCode != null) {
          throw new LedgerLocalnetError(
            `cometbft ${node.index} exited with ${slot.node.exitCode}; see ${join(node.home, 'cometbft.log')}`,
          )
        }
        const response = await fetch(`${node.rpcUrl}/status`)
        return response.ok
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 50,
        message: `cometbft ${node.index} RPC at ${node.rpcUrl}`,
      },
    )
  }

  async function stop(): Promise<void> {
    if (stopped) return
    stopped = true
    await Promise.all(running.map((slot) => stopProcess(slot.node)))
    await Promise.all(running.map((slot) => stopProcess(slot.app)))
    if (tempDir && !options.keepDir) await rm(dir, { recursive: true, force: true })
    log('localnet.stopped', { dir })
  }

  try {
    await Promise.all(nodes.map(startApp))
    for (const node of nodes) startNode(node)
    await Promise.all(nodes.map(waitForRpc))
    // Ready once the network has committed its first block.
    await waitFor(
      async () => {
        const response = await fetch(`${nodes[0]?.rpcUrl}/status`)
        const body = (await response.json()) as {
          result?: { sync_info?: { latest_block_height?: string } }
        }
        return Number(body.result?.sync_info?.latest_block_height ?? '0') >= 1
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 50,
        message: 'the localnet to commit its first block',
      },
    )
  } catch (error) {
    await stop()
    throw error
  }
  log('localnet.ready', { dir, chainId: manifest.chainId, rpcUrls: nodes.map((n) => n.rpcUrl) })

  return {
    dir,
    chainId: manifest.chainId,
    nodes,
    rpcUrls: nodes.map((node) => node.rpcUrl),
    adminKey,
    nodeKeys,
    keyFiles,
    stop,
    stopValidator,
    startValidator,
    restartApp,
    isRunning,
    pids: () => ({
      validators: running.flatMap((slot) =>
        slot.node && slot.node.exitCode === null ? [slot.node.pid] : [],
      ),
      apps: running.flatMap((slot) =>
        slot.app && slot.app.exitCode === null ? [slot.app.pid] : [],
      ),
    }),
    [Symbol.asyncDispose]: stop,
  }
}
