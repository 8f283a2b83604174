/**
 * The host a fault run aims at, in its own process (`bun runtime/host/main.ts`,
 * the production entry): one fog host on loopback port 0 running a stateless
 * echo actor in a worker (and, when asked, a `busy` actor whose messages cost
 * CPU time), plus an enrolled peer identity (`fuzz-peer`) a fuzzer
 * may authenticate as. Running it apart keeps the load generator, probe and
 * fuzzer off its event loop, and lets its memory be measured on its own
 * (`rss()`: VmRSS and VmHWM of the host process, which includes its workers).
 */
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readEnrollmentList, readHostKey, startDomain } from '../../runtime/index.ts'
import { type FuzzTarget, waitFor } from '../../runtime/testing/index.ts'
import { rssMb } from '../harness/process-usage.ts'
import { GcPauseLog } from './gc-pause-log.ts'

const FIXTURES = join(import.meta.dir, '..', '..', 'runtime', 'host', 'fixtures')
const ECHO = join(FIXTURES, 'echo-actor-fixture.ts')
const BUSY = join(FIXTURES, 'busy-actor-fixture.ts')

export type TargetHostProcess = FuzzTarget & {
  pid: number
  /** The echo route, `POST` with `{"text": …}`. */
  echoUrl: string
  rss(): { current: number; peak: number }
  /** The host's collector pauses, when started with `gcLog`. */
  gc: GcPauseLog | undefined
  stop(): Promise<void>
}

/** Starts the host process and waits until its echo actor answers over HTTP. */
export async function startTargetHostProcess(
  options: {
    /** `gateway.admission` of the host config (AdmissionConfigInput). */
    admission?: Record<string, unknown> | undefined
    busy?: boolean | undefined
    /** Log the host's garbage collections (JavaScriptCore's logGC) and keep their pauses in `gc`. */
    gcLog?: boolean | undefined
  } = {},
): Promise<TargetHostProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-target-'))
  const gc = options.gcLog ? new GcPauseLog() : undefined
  // Only the host's process gets the variable (it is read when the process is spawned).
  if (gc) process.env.BUN_JSC_logGC = '1'
  const domain = await startDomain({
    dir,
    hosts: [{ id: 'fog-1', role: 'fog' }],
    actors: [
      { name: 'echo', module: ECHO },
      ...(options.busy ? [{ name: 'busy', module: BUSY }] : []),
    ],
    clients: ['fuzz-peer'],
    hostConfig: { gateway: { admission: options.admission ?? {} } },
    onLog: gc ? (_host, line) => gc.line(line) : undefined,
  })
    .catch(async (error) => {
      await rm(dir, { recursive: true, force: true })
      throw error
    })
    .finally(() => {
      if (gc) delete process.env.BUN_JSC_logGC
    })
  const host = domain.hosts.get('fog-1')
  if (!host) throw new Error('the target domain has no fog-1')
  // A bench stopped with Ctrl-C or a timeout must not leave the host running.
  const interrupted = (signal: NodeJS.Signals) => {
    host.process.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  const echoUrl = `${domain.gatewayUrl}/v1/actors/echo/echo.say`
  await waitFor(async () => (await post(echoUrl, '{"text":"ready?"}')) === 200, {
    message: 'echo answers',
  })
  if (options.busy) {
    const busyUrl = `${domain.gatewayUrl}/v1/actors/busy/busy.work`
    await waitFor(async () => (await post(busyUrl, '{"us":0}')) === 200, {
      message: 'busy answers',
    })
  }
  const [hostname, port] = host.run.rpc.split(':') as [string, string]
  const pid = host.process.pid
  return {
    pid,
    gatewayUrl: domain.gatewayUrl,
    echoUrl,
    rpc: { hostname, port: Number(port) },
    peer: {
      hostId: 'fuzz-peer',
      key: await readHostKey(domain.files.keyFile('fuzz-peer')),
      enrollment: await readEnrollmentList(
        domain.files.enrollmentFile,
        domain.files.adminPublicKey,
      ),
    },
    rss: () => rssMb(pid),
    gc,
    async stop() {
      process.off('SIGINT', interrupted)
      process.off('SIGTERM', interrupted)
      await domain.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function post(url: string, body: string): Promise<number> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}
