/**
 * Real hosts in the test's own process, the set-up the host, domain and
 * security tests share: a temporary folder of domain files (keys, signed
 * enrollment), hosts started from them with their identity and key files
 * filled in, hand-driven RPC peers, and one `stop()` for afterEach/afterAll
 * that closes every peer, stops every host and removes every folder, whether
 * or not the test passed.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createDomainFiles,
  type DomainFiles,
  type DomainHostSpec,
} from '../domain/create-domain-files.ts'
import { hostConfigSchema } from '../host/host-config.ts'
import { type Host, type StartHostOptions, startHost } from '../host/start-host.ts'
import type { Log } from '../log/create-logger.ts'
import { createRpcNode, type RpcNode } from '../rpc/create-rpc-node.ts'
import { type HostRole, readEnrollmentList } from '../rpc/enrollment-list.ts'
import { readHostKey } from '../rpc/host-key.ts'
import type { RpcConnection } from '../rpc/rpc-connection.ts'
import { createTcpTransport } from '../rpc/tcp-transport.ts'

/** Failure detection fast enough for tests: heartbeats every 50 ms, a peer suspected after 400 ms. */
export const FAST_DETECTION = { heartbeatIntervalMs: 50, suspicionTimeoutMs: 400 } as const

export type TestHostOptions = Omit<StartHostOptions, 'config' | 'log'> & {
  id: string
  role: HostRole
  /** Config fields beside id, role and the key files, checked by hostConfigSchema as a config file is. */
  config?: Record<string, unknown>
  /** Default: no log output. */
  log?: Log
}

export type InProcessHosts = {
  /** Writes keys and a signed enrollment for `hosts` in a new temporary folder named `<prefix>…`. */
  files(prefix: string, hosts: DomainHostSpec[]): Promise<DomainFiles>
  /** Starts enrolled host `options.id` of `files` in this process. */
  start(files: DomainFiles, options: TestHostOptions): Promise<Host>
  /**
   * Starts fog-1, then edge-1 seeded with fog-1, both with FAST_DETECTION; `options` gives the
   * rest of each host's options (its config is merged over the seeds and detection).
   */
  fogAndEdge(
    files: DomainFiles,
    options: (id: string, role: 'fog' | 'edge') => Omit<TestHostOptions, 'id' | 'role'>,
  ): Promise<{ fog: Host; edge: Host }>
  /** Stops `host` in `stop()` too: a host started another way (from a config file, say). */
  own(host: Host): Host
  /** An RPC connection to `host` authenticated as the enrolled `asHost`, a peer the test drives by hand. */
  peer(files: DomainFiles, host: Host, asHost: string): Promise<RpcConnection>
  /** Stops `host` now, as a host that leaves the domain does, and not again in `stop()`. */
  leave(host: Host): Promise<void>
  /** Stops every host started here and removes every folder written. */
  stop(): Promise<void>
}

/** The host config of enrolled host `id`: its key, the domain's enrollment and admin key, then `config`. */
export function testHostConfig(
  files: DomainFiles,
  id: string,
  role: HostRole,
  config: Record<string, unknown> = {},
) {
  return hostConfigSchema.parse({
    id,
    role,
    keyFile: files.keyFile(id),
    enrollmentFile: files.enrollmentFile,
    adminPublicKey: files.adminPublicKey,
    ...config,
  })
}

export function inProcessHosts(): InProcessHosts {
  const hosts: Host[] = []
  const nodes: RpcNode[] = []
  const dirs: string[] = []
  const start: InProcessHosts['start'] = async (files, { id, role, config, log, ...options }) => {
    const host = await startHost({
      ...options,
      config: testHostConfig(files, id, role, config),
      log: log ?? (() => {}),
    })
    hosts.push(host)
    return host
  }
  const seeded = (
    files: DomainFiles,
    id: string,
    role: HostRole,
    seeds: string[],
    options: Omit<TestHostOptions, 'id' | 'role'>,
  ) =>
    start(files, { ...options, id, role, config: { seeds, ...FAST_DETECTION, ...options.config } })
  return {
    async files(prefix, domainHosts) {
      const dir = await mkdtemp(join(tmpdir(), prefix))
      dirs.push(dir)
      return createDomainFiles({ dir, hosts: domainHosts })
    },
    start,
    async fogAndEdge(files, options) {
      const fog = await seeded(files, 'fog-1', 'fog', [], options('fog-1', 'fog'))
      const edge = await seeded(files, 'edge-1', 'edge', [fog.info.rpc], options('edge-1', 'edge'))
      return { fog, edge }
    },
    own(host) {
      hosts.push(host)
      return host
    },
    async peer(files, host, asHost) {
      const node = createRpcNode({
        transport: createTcpTransport(),
        hostId: asHost,
        key: await readHostKey(files.keyFile(asHost)),
        enrollment: await readEnrollmentList(files.enrollmentFile, files.adminPublicKey),
        handler: { request: () => null },
      })
      nodes.push(node)
      const [hostname, port] = host.info.rpc.split(':') as [string, string]
      return node.connect({ hostname, port: Number(port), expectedPeerId: host.info.hostId })
    },
    async leave(host) {
      hosts.splice(hosts.indexOf(host), 1)
      await host.stop()
    },
    async stop() {
      for (const node of nodes.splice(0)) node.close()
      await Promise.all(hosts.splice(0).map((host) => host.stop()))
      await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
    },
  }
}
