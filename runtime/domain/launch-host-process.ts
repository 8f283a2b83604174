/**
 * One host of a one-machine domain as a child process: `bun <hostMain>
 * --config <file> --json`, its stdout and stderr read line by line (the last
 * 500 kept for diagnostics), ready once it logs `host.ready` with its bound
 * ports; killed when it exits or times out first.
 */
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import type { HostRunInfo } from '../host/run-host.ts'
import type { HostRole } from '../rpc/enrollment-list.ts'

const HOST_MAIN = join(import.meta.dir, '..', 'host', 'main.ts')

export type DomainHost = {
  readonly id: string
  readonly role: HostRole
  readonly configFile: string
  process: Subprocess<'ignore', 'pipe', 'pipe'>
  run: HostRunInfo
  /** The last log lines (JSON) of this host, for diagnostics. */
  readonly logs: string[]
}

export type LaunchHostOptions = {
  readonly id: string
  readonly role: HostRole
  readonly configFile: string
  /** Module the process runs; default runtime/host/main.ts. */
  readonly hostMain?: string | undefined
  readonly bunFlags?: readonly string[] | undefined
  readonly hostArgs?: readonly string[] | undefined
  readonly startTimeoutMs: number
  readonly onLog?: ((hostId: string, line: string) => void) | undefined
}

/** Starts the host process and resolves once it is ready; rejects (process killed) otherwise. */
export async function launchHostProcess(options: LaunchHostOptions): Promise<DomainHost> {
  const { id, role, configFile, startTimeoutMs } = options
  const ready = Promise.withResolvers<HostRunInfo>()
  const logs: string[] = []
  const command = [
    process.execPath,
    ...(options.bunFlags ?? []),
    options.hostMain ?? HOST_MAIN,
    '--config',
    configFile,
    '--json',
    ...(options.hostArgs ?? []),
  ]
  const child = Bun.spawn(command, {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, VIGIL_HOST_ID: id },
  })
  const onLine = (line: string) => {
    logs.push(line)
    if (logs.length > 500) logs.splice(0, logs.length - 500)
    options.onLog?.(id, line)
    if (line.includes('"host.ready"')) {
      try {
        const entry = JSON.parse(line) as HostRunInfo & { event: string }
        if (entry.event === 'host.ready') ready.resolve(entry)
      } catch {
        // Not JSON; ignore.
      }
    }
  }
  pumpLines(child.stdout, onLine)
  pumpLines(child.stderr, onLine)
  void child.exited.then((code) =>
    ready.reject(
      new Error(
        `host ${id} exited with ${code} before it was ready:\n${logs.slice(-20).join('\n')}`,
      ),
    ),
  )
  const timer = setTimeout(
    () =>
      ready.reject(
        new Error(
          `host ${id} not ready within ${startTimeoutMs} ms:\n${logs.slice(-20).join('\n')}`,
        ),
      ),
    startTimeoutMs,
  )
  try {
    const run = await ready.promise
    return { id, role, configFile, process: child, run, logs }
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  } finally {
    clearTimeout(timer)
  }
}

function pumpLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): void {
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of stream) {
      buffer += decoder.decode(chunk, { stream: true })
      let newline = buffer.indexOf('\n')
      while (newline >= 0) {
        onLine(buffer.slice(0, newline))
        buffer = buffer.slice(newline + 1)
        newline = buffer.indexOf('\n')
      }
    }
    if (buffer) onLine(buffer)
  })().catch(() => {})
}
