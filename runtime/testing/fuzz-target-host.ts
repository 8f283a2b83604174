/**
 * A real host to fuzz (tests and `bench faults fuzz`): one fog host over TCP
 * on loopback port 0 running a stateless echo actor, its gateway and RPC
 * listener live, plus an enrolled peer identity (`fuzz-peer`) the fuzzer
 * authenticates as to reach the post-handshake decoder.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDomainFiles } from '../domain/create-domain-files.ts'
import { type Host, startHost } from '../host/start-host.ts'
import { type Enrollment, readEnrollmentList } from '../rpc/enrollment-list.ts'
import { type HostKey, readHostKey } from '../rpc/host-key.ts'
import { testHostConfig } from './in-process-hosts.ts'
import { waitFor } from './wait-for.ts'

/** What the live fuzzers need of a target host, in this process or another. */
export type FuzzTarget = {
  /** `http://127.0.0.1:<port>` of the host's gateway. */
  gatewayUrl: string
  rpc: { hostname: string; port: number }
  /** The enrolled peer the fuzzer may authenticate as. */
  peer: { hostId: string; key: HostKey; enrollment: Enrollment }
}

export type FuzzTargetHost = FuzzTarget & {
  host: Host
  /** Events the host logged, by name (e.g. refused frames). */
  logged: Map<string, number>
  stop(): Promise<void>
}

const ECHO = join(import.meta.dir, '..', 'host', 'fixtures', 'echo-actor-fixture.ts')

/** Starts the host and waits until its echo actor answers. */
export async function startFuzzTargetHost(
  options: { admission?: Record<string, number> } = {},
): Promise<FuzzTargetHost> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-fuzz-'))
  const files = await createDomainFiles({
    dir,
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'fuzz-peer', role: 'edge' },
    ],
  })
  const logged = new Map<string, number>()
  const host = await startHost({
    config: testHostConfig(files, 'fog-1', 'fog', {
      actors: [{ name: 'echo', module: ECHO }],
      gateway: { admission: options.admission ?? {} },
    }),
    log: (event, data) => {
      const name = typeof data?.code === 'string' ? `${event} ${data.code}` : event
      logged.set(name, (logged.get(name) ?? 0) + 1)
    },
  })
  await waitFor(() => host.isReady() && host.system.has('echo'), { message: 'echo placed' })
  const [hostname, port] = host.info.rpc.split(':') as [string, string]
  return {
    host,
    gatewayUrl: host.info.http,
    rpc: { hostname, port: Number(port) },
    peer: {
      hostId: 'fuzz-peer',
      key: await readHostKey(files.keyFile('fuzz-peer')),
      enrollment: await readEnrollmentList(files.enrollmentFile, files.adminPublicKey),
    },
    logged,
    async stop() {
      await host.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
