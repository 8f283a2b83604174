/**
 * The processes of a localnet: per validator, a vigil ABCI app (listening on a
 * Unix socket in the node folder, SQLite file beside it) and the cometbft
 * node that drives it. Apps exit when their stdin (a pipe from this process)
 * closes, a node stops itself when its app's socket drops, and kill-on-exit.ts
 * kills whatever is left when this process exits.
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import type { Clock } from '../../runtime/index.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { ABCI_MAIN } from './cometbft-binary.ts'
import { killOnExit } from './kill-on-exit.ts'
import type { LocalnetNode } from './localnet-node.ts'
import { pollUntilReady } from './poll-until-ready.ts'

/** Longest an app may take to open its socket, ms. */
const APP_LISTEN_TIMEOUT_MS = 15_000
/** Longest a stopped process may take to exit before SIGKILL, ms. */
const STOP_GRACE_MS = 5_000
/** Longest a node may take to stop itself after its app crashed, ms. */
const NODE_FOLLOWS_APP_MS = 10_000
/** Readiness polls of the RPC endpoints, ms. */
const RPC_POLL_MS = 50

export type LocalnetProcessesOptions = {
  readonly binary: string
  readonly nodes: readonly LocalnetNode[]
  readonly clock: Clock
  /** Extra bun flags for the ABCI app processes. */
  readonly appRuntimeFlags: readonly string[]
  /** How long to wait for an RPC endpoint, and for the first block, ms. */
  readonly readyTimeoutMs: number
  readonly log: (event: string, data?: Record<string, unknown>) => void
}

type Running = { app: Subprocess | null; node: Subprocess | null }

/** Starts, stops and restarts the validators of one localnet. */
export class LocalnetProcesses {
  readonly #options: LocalnetProcessesOptions
  readonly #running: Running[]

  constructor(options: LocalnetProcessesOptions) {
    this.#options = options
    this.#running = options.nodes.map(() => ({ app: null, node: null }))
  }

  /** Starts every validator; resolves once the network has committed its first block. */
  async startAll(): Promise<void> {
    const { nodes, clock, readyTimeoutMs } = this.#options
    await Promise.all(nodes.map((node) => this.#startApp(node)))
    for (const node of nodes) this.#startNode(node)
    await Promise.all(nodes.map((node) => this.#waitForRpc(node)))
    await pollUntilReady(() => firstBlockCommitted(nodes[0]?.rpcUrl as string), {
      clock,
      timeoutMs: readyTimeoutMs,
      intervalMs: RPC_POLL_MS,
      what: 'the localnet to commit its first block',
    })
  }

  /** Stops every node, then every app. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#running.map((slot) => this.#stopProcess(slot.node)))
    await Promise.all(this.#running.map((slot) => this.#stopProcess(slot.app)))
  }

  /** Starts validator `index` and its app again (same ports, same data); no-op while it runs. */
  async startValidator(index: number): Promise<void> {
    const node = this.#nodeAt(index)
    if (this.isRunning(index)) return
    await this.#startApp(node)
    this.#startNode(node)
    await this.#waitForRpc(node)
    this.#options.log('localnet.validator_started', { index })
  }

  /** Stops validator `index`, then its app. */
  async stopValidator(index: number): Promise<void> {
    this.#nodeAt(index)
    const slot = this.#running[index] as Running
    // The node first, so it does not see its app vanish mid-block.
    await this.#stopProcess(slot.node)
    await this.#stopProcess(slot.app)
    slot.node = null
    slot.app = null
    this.#options.log('localnet.validator_stopped', { index })
  }

  /** Kills app `index` as a crash would; its node stops with it; both are started again. */
  async restartApp(index: number): Promise<void> {
    const node = this.#nodeAt(index)
    const slot = this.#running[index] as Running
    // A crash: SIGKILL the app. CometBFT notices the dropped connection and stops itself.
    await this.#stopProcess(slot.app, 'SIGKILL')
    if (slot.node) {
      const nodeProc = slot.node
      if (!(await this.#exitedWithin(nodeProc, NODE_FOLLOWS_APP_MS)))
        await this.#stopProcess(nodeProc)
    }
    slot.app = null
    slot.node = null
    await this.#startApp(node)
    this.#startNode(node)
    await this.#waitForRpc(node)
    this.#options.log('localnet.app_restarted', { index })
  }

  /** True while validator `index`'s node process runs. */
  isRunning(index: number): boolean {
    const slot = this.#running[index]
    return Boolean(slot?.node && slot.node.exitCode === null && slot.node.signalCode === null)
  }

  /** Process ids of the running validators and apps (for RSS/CPU measurements). */
  pids(): { validators: number[]; apps: number[] } {
    return {
      validators: this.#running.flatMap((slot) =>
        slot.node && slot.node.exitCode === null ? [slot.node.pid] : [],
      ),
      apps: this.#running.flatMap((slot) =>
        slot.app && slot.app.exitCode === null ? [slot.app.pid] : [],
      ),
    }
  }

  async #startApp(node: LocalnetNode): Promise<void> {
    const socketPath = node.abciAddress.slice('unix://'.length)
    await rm(socketPath, { force: true })
    const logFd = openSync(join(node.home, 'app.log'), 'a')
    const app = Bun.spawn(
      [
        process.execPath,
        ...this.#options.appRuntimeFlags,
        ABCI_MAIN,
        '--address',
        node.abciAddress,
        '--db',
        node.dbFile,
        '--exit-with-parent',
      ],
      { stdin: 'pipe', stdout: logFd, stderr: logFd },
    )
    closeSync(logFd)
    killOnExit(app)
    ;(this.#running[node.index] as Running).app = app
    await pollUntilReady(() => existsSync(socketPath) || app.exitCode !== null, {
      clock: this.#options.clock,
      timeoutMs: APP_LISTEN_TIMEOUT_MS,
      intervalMs: 10,
      what: `ABCI app ${node.index} to listen on ${socketPath}`,
    })
    if (app.exitCode !== null) {
      throw new LedgerLocalnetError(
        `ABCI app ${node.index} exited with ${app.exitCode}; see ${join(node.home, 'app.log')}`,
      )
    }
  }

  #startNode(node: LocalnetNode): void {
    const logFd = openSync(join(node.home, 'cometbft.log'), 'a')
    const proc = Bun.spawn([this.#options.binary, 'start', '--home', node.home], {
      stdin: 'ignore',
      stdout: logFd,
      stderr: logFd,
    })
    closeSync(logFd)
    killOnExit(proc)
    ;(this.#running[node.index] as Running).node = proc
  }

  async #waitForRpc(node: LocalnetNode): Promise<void> {
    const slot = this.#running[node.index] as Running
    await pollUntilReady(
      async () => {
        if (slot.node?.exitCode != null) {
          throw new LedgerLocalnetError(
            `cometbft ${node.index} exited with ${slot.node.exitCode}; see ${join(node.home, 'cometbft.log')}`,
          )
        }
        return (await fetch(`${node.rpcUrl}/status`)).ok
      },
      {
        clock: this.#options.clock,
        timeoutMs: this.#options.readyTimeoutMs,
        intervalMs: RPC_POLL_MS,
        what: `cometbft ${node.index} RPC at ${node.rpcUrl}`,
      },
    )
  }

  async #stopProcess(proc: Subprocess | null, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill(signal)
    if (await this.#exitedWithin(proc, STOP_GRACE_MS)) return
    proc.kill('SIGKILL')
    await proc.exited
  }

  /** True once `proc` exited, false if it still runs after `ms`. */
  #exitedWithin(proc: Subprocess, ms: number): Promise<boolean> {
    const { clock } = this.#options
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => resolve(false), ms)
      void proc.exited.then(() => {
        clock.clearTimeout(timer)
        resolve(true)
      })
    })
  }

  #nodeAt(index: number): LocalnetNode {
    const { nodes } = this.#options
    const node = nodes[index]
    if (!node)
      throw new LedgerLocalnetError(`no validator ${index}; this localnet has ${nodes.length}`)
    return node
  }
}

/** True once the node at `rpcUrl` reports a committed block. */
async function firstBlockCommitted(rpcUrl: string): Promise<boolean> {
  const response = await fetch(`${rpcUrl}/status`)
  const body = (await response.json()) as {
    result?: { sync_info?: { latest_block_height?: string } }
  }
  return Number(body.result?.sync_info?.latest_block_height ?? '0') >= 1
}
