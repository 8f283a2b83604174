/**
 * What `vigil host start --config <machine folder>` runs: the machine's host
 * and, on a validator, its ABCI app and CometBFT node, each a supervised
 * child (restarted when it crashes). The node waits for its app's port; the
 * host runs in the machine folder (actors read `host.pem` from there).
 * `stop()` (on SIGINT/SIGTERM) stops the host first, then the node, then the
 * app; a process exit kills whatever is left.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { connect } from 'node:net'
import { join, resolve } from 'node:path'
import { ABCI_MAIN, cometbftBinary } from '../../ledger/index.ts'
import { type MachineManifest, readMachineManifest } from './machine-manifest.ts'
import { SupervisedProcess } from './supervised-process.ts'

const HOST_MAIN = join(import.meta.dir, '..', '..', 'runtime', 'host', 'main.ts')

export type Machine = {
  readonly hostId: string
  readonly processes: ReadonlyMap<string, SupervisedProcess>
  /** Resolves once the host reports ready (its run file) and, on a validator, the node's RPC answers. */
  readonly ready: Promise<void>
  stop(): Promise<void>
}

export type StartMachineOptions = {
  readonly folder: string
  readonly log: (event: string, data: Record<string, unknown>) => void
  /** Host output: 'inherit' (the CLI) or into logs/host.log (default). */
  readonly hostOutput?: 'inherit' | 'file' | undefined
  /** The host process entry (default runtime/host/main.ts). */
  readonly hostMain?: string | undefined
}

/** Starts the machine's processes; see the module comment. */
export async function startMachine(options: StartMachineOptions): Promise<Machine> {
  const folder = resolve(options.folder)
  const manifest = await readMachineManifest(folder)
  mkdirSync(join(folder, 'logs'), { recursive: true })
  const logFile = (name: string) => openSync(join(folder, 'logs', `${name}.log`), 'a')
  const processes = new Map<string, SupervisedProcess>()
  const fds: number[] = []
  const fd = (name: string) => {
    const opened = logFile(name)
    fds.push(opened)
    return opened
  }
  if (manifest.validator) {
    for (const [name, child] of validatorProcesses(folder, manifest.validator, fd, options.log))
      processes.set(name, child)
  }
  const runFile = join(folder, 'run', 'host.json')
  await Bun.file(runFile)
    .delete()
    .catch(() => {})
  processes.set(
    'host',
    new SupervisedProcess({
      name: 'host',
      cmd: [
        process.execPath,
        options.hostMain ?? HOST_MAIN,
        '--config',
        join(folder, manifest.hostConfig),
        '--json',
      ],
      cwd: folder,
      output: options.hostOutput === 'inherit' ? 'inherit' : fd('host'),
      log: options.log,
    }),
  )
  const exitHook = () => {
    for (const child of processes.values()) child.killNow()
  }
  process.on('exit', exitHook)
  for (const child of processes.values()) await child.start()
  let stopped: Promise<void> | undefined
  return {
    hostId: manifest.hostId,
    processes,
    ready: whenReady(runFile, manifest.validator?.rpcUrl),
    stop() {
      stopped ??= (async () => {
        for (const name of ['host', 'cometbft', 'abci']) await processes.get(name)?.stop()
        process.off('exit', exitHook)
        for (const opened of fds) closeSync(opened)
        options.log('machine.stopped', { host: manifest.hostId })
      })()
      return stopped
    },
  }
}

/** The ABCI app and the CometBFT node of a validator machine (the node waits for its app). */
function validatorProcesses(
  folder: string,
  validator: NonNullable<MachineManifest['validator']>,
  fd: (name: string) => number,
  log: StartMachineOptions['log'],
): [string, SupervisedProcess][] {
  const home = join(folder, validator.home)
  const port = validator.abciPort
  const db = join(home, 'data', 'vigil-ledger.sqlite')
  return [
    [
      'abci',
      new SupervisedProcess({
        name: 'abci',
        cmd: [
          process.execPath,
          ABCI_MAIN,
          '--address',
          `tcp://127.0.0.1:${port}`,
          '--db',
          db,
          '--exit-with-parent',
        ],
        output: fd('abci'),
        stdinPipe: true,
        log,
      }),
    ],
    [
      'cometbft',
      new SupervisedProcess({
        name: 'cometbft',
        cmd: [cometbftBinary(), 'start', '--home', home],
        output: fd('cometbft'),
        before: () => waitForPort('127.0.0.1', port, 15_000),
        log,
      }),
    ],
  ]
}

/** Polls until the host's run file exists and the node's RPC answers (every 25 ms). */
async function whenReady(runFile: string, rpcUrl: string | undefined): Promise<void> {
  for (;;) {
    const hostUp = await Bun.file(runFile).exists()
    const nodeUp =
      !rpcUrl ||
      (await fetch(`${rpcUrl}/status`).then(
        (r) => r.ok,
        () => false,
      ))
    if (hostUp && nodeUp) return
    await Bun.sleep(25)
  }
}

/** Resolves once `host:port` accepts a TCP connection; rejects after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect({ host, port })
      socket.once('connect', () => {
        socket.destroy()
        done(true)
      })
      socket.once('error', () => done(false))
    })
    if (open) return
    await Bun.sleep(25)
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`)
}
