/**
 * A CometBFT network on one machine: N validators on loopback, each with its
 * own vigil ABCI app process and SQLite file, wired with persistent peers and
 * fast consensus timeouts. Used by `vigil ledger localnet`, the integration
 * tests, the benchmarks and the one-machine domain of `npm start`.
 *
 * Keys and genesis come from `cometbft testnet` (localnet-files.ts); ports are
 * chosen free at run time (nothing fixed, localnet-node.ts); configs are
 * patched per node (write-node-config.ts); the processes are in
 * localnet-processes.ts. Use `await using net = await startLocalnet(...)` so a
 * failing test still stops everything.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../runtime/index.ts'
import { systemClock } from '../../runtime/index.ts'
import type { SignerKey } from '../abci/signer-key.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { cometbftBinary } from './cometbft-binary.ts'
import { prepareLocalnetFiles } from './localnet-files.ts'
import { type LocalnetNode, localnetNodes } from './localnet-node.ts'
import { LocalnetProcesses } from './localnet-processes.ts'
import { FAST_TIMEOUTS, type LocalnetTimeouts } from './localnet-timeouts.ts'
import { writeNodeConfig } from './write-node-config.ts'

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
  /** The clock readiness polls and stop timeouts run on (default the system clock). */
  readonly clock?: Clock | undefined
  /** Structured progress events. */
  readonly log?: ((event: string, data?: Record<string, unknown>) => void) | undefined
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
  const files = await prepareLocalnetFiles(binary, dir, count, {
    maxTxBytes: options.maxTxBytes ?? 4 * 1024 * 1024,
    maxRecordsPerTx: options.maxRecordsPerTx ?? 20_000,
    maxBlockBytes: options.maxBlockBytes ?? 4 * 1024 * 1024,
  })
  if (files.reused) log('localnet.reuse', { dir })
  else log('localnet.created', { dir, chainId: files.chainId })
  const nodes = localnetNodes(dir, files.nodeIds)
  const settings = {
    timeouts: { ...FAST_TIMEOUTS, ...options.timeouts },
    logLevel: options.logLevel ?? 'error',
    txIndexer: options.txIndexer ?? 'kv',
    createEmptyBlocks: options.createEmptyBlocks ?? false,
  }
  for (const node of nodes) await writeNodeConfig(node, nodes, settings)
  const processes = new LocalnetProcesses({
    binary,
    nodes,
    clock: options.clock ?? systemClock,
    appRuntimeFlags: options.appRuntimeFlags ?? [],
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    log,
  })

  let stopped = false
  async function stop(): Promise<void> {
    if (stopped) return
    stopped = true
    await processes.stopAll()
    if (tempDir && !options.keepDir) await rm(dir, { recursive: true, force: true })
    log('localnet.stopped', { dir })
  }
  try {
    await processes.startAll()
  } catch (error) {
    await stop()
    throw error
  }
  const rpcUrls = nodes.map((node) => node.rpcUrl)
  log('localnet.ready', { dir, chainId: files.chainId, rpcUrls })

  return {
    dir,
    chainId: files.chainId,
    nodes,
    rpcUrls,
    adminKey: files.adminKey,
    nodeKeys: files.nodeKeys,
    keyFiles: files.keyFiles,
    stop,
    stopValidator: (index) => processes.stopValidator(index),
    startValidator: (index) => processes.startValidator(index),
    restartApp: (index) => processes.restartApp(index),
    isRunning: (index) => processes.isRunning(index),
    pids: () => processes.pids(),
    [Symbol.asyncDispose]: stop,
  }
}
