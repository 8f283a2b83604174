/**
 * Starts a local anvil chain (from the npm package @foundry-rs/anvil) on a free loopback port
 * and stops it: for integration tests, benchmarks and the one-machine domain. Instant mining
 * keeps tests fast; interval mining (`blockTimeSeconds`) models a real chain.
 * The binary comes from VIGIL_ANVIL_BIN, else node_modules/@foundry-rs/anvil-linux-amd64.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { type BaseError, defineError } from '../../runtime/index.ts'

export type StartAnvilOptions = {
  /** Seconds per block (fractions allowed); omit for instant mining (one block per tx). */
  blockTimeSeconds?: number | undefined
  /** Chain id. Default 31337. */
  chainId?: number | undefined
  /** Give up if anvil is not listening after this many ms. Default 20,000. */
  startTimeoutMs?: number | undefined
  /** Anvil binary; default from VIGIL_ANVIL_BIN or the npm package. */
  binary?: string | undefined
}

export type AnvilInstance = {
  readonly rpcUrl: string
  readonly port: number
  readonly chainId: number
  readonly process: Subprocess
  /** Stops anvil and waits for it to exit. */
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** The anvil binary is missing or anvil did not start. */
export class AnvilUnavailableError extends defineError('ETH_ANVIL_UNAVAILABLE') {
  constructor(shortMessage: string, options: ConstructorParameters<typeof BaseError>[2] = {}) {
    super(shortMessage, { kind: 'runtime', ...options })
  }
}

const REPO_ROOT = join(import.meta.dir, '..', '..')

const live = new Set<Subprocess>()
let exitHookInstalled = false
/** Last resort if stop() never ran (a crashed test or CLI): no anvil outlives this process. */
function track(child: Subprocess) {
  live.add(child)
  void child.exited.then(() => live.delete(child))
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const orphan of live) orphan.kill('SIGKILL')
  })
}

/** Path of the anvil binary this checkout uses. */
export function resolveAnvilBinary(env: Readonly<Record<string, string | undefined>> = Bun.env) {
  const fromEnv = env.VIGIL_ANVIL_BIN
  if (fromEnv) return fromEnv
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64'
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux'
  return join(REPO_ROOT, 'node_modules', '@foundry-rs', `anvil-${platform}-${arch}`, 'bin', 'anvil')
}

/** Spawns anvil on port 0 and resolves once it listens. */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const binary = options.binary ?? resolveAnvilBinary()
  if (!existsSync(binary)) {
    throw new AnvilUnavailableError(
      `anvil not found at ${binary}; run 'npm run setup' (installs @foundry-rs/anvil) or set VIGIL_ANVIL_BIN`,
    )
  }
  const chainId = options.chainId ?? 31337
  const args = [
    binary,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--chain-id',
    String(chainId),
    '--accounts',
    '1',
  ]
  if (options.blockTimeSeconds !== undefined) {
    args.push('--block-time', String(options.blockTimeSeconds))
  }
  const child = Bun.spawn(args, { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
  track(child)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await child.exited
  }
  try {
    const port = await readListeningPort(child, options.startTimeoutMs ?? 20_000)
    const rpcUrl = `http://127.0.0.1:${port}`
    return { rpcUrl, port, chainId, process: child, stop, [Symbol.asyncDispose]: stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function readListeningPort(child: Subprocess<'ignore', 'pipe', 'pipe'>, timeoutMs: number) {
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let seen = ''
  const timer = setTimeout(() => reader.cancel().catch(() => {}), timeoutMs)
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      seen += decoder.decode(value, { stream: true })
      const match = /Listening on [^\s:]+:(\d+)/.exec(seen)
      if (match?.[1]) {
        // Keep draining both pipes so anvil never blocks on a full one (it logs every block).
        drain(reader)
        drain(child.stderr.getReader())
        return Number(match[1])
      }
    }
  } finally {
    clearTimeout(timer)
  }
  const stderr = await new Response(child.stderr).text().catch(() => '')
  throw new AnvilUnavailableError(`anvil did not report a listening port within ${timeoutMs} ms`, {
    details: (stderr || seen).slice(-500),
  })
}

function drain(reader: { read(): Promise<{ done: boolean }> }) {
  void (async () => {
    try {
      for (;;) {
        const { done } = await reader.read()
        if (done) return
      }
    } catch {
      // The process ended; nothing left to drain.
    }
  })()
}

/** Calls an anvil-only JSON-RPC method (e.g. `anvil_setBalance`); throws on an RPC error. */
export async function anvilRequest(rpcUrl: string, method: string, params: unknown[]) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new AnvilUnavailableError(`${method} failed: ${body.error.message}`)
  return body.result
}
