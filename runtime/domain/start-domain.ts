/**
 * A whole domain on one machine: generates keys and the signed enrollment
 * list into `dir`, then launches the given hosts as separate processes on
 * loopback (every port 0; hosts report their bound ports in a `host.ready`
 * log line), all deploying the given actors. The first host is every other
 * host's seed. Each process runs `hostMain` (default runtime/host/main.ts; a
 * composition passes its own entry, which calls `runHost({ plugins })`).
 * Used by `npm start` (scripts/demo-domain.ts has the demo's hosts and
 * actors) and by end-to-end tests; `stop()` (or `await using`) ends every
 * process it started.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import type { actorSpecSchema, HostConfigInput } from '../host/host-config.ts'
import type { HostRole } from '../rpc/enrollment-list.ts'
import { createDomainFiles, type DomainFiles, type DomainHostSpec } from './create-domain-files.ts'
import { type DomainHost, launchHostProcess } from './launch-host-process.ts'

/** An actor of the deployment, as written in a config file. */
export type DomainActorSpec = z.input<typeof actorSpecSchema>
export type { DomainHostSpec } from './create-domain-files.ts'
export type { DomainHost } from './launch-host-process.ts'

export type StartDomainOptions = {
  dir: string
  /** The hosts to enroll and launch, in start order; the first is the seed. */
  hosts: readonly DomainHostSpec[]
  /** What every host deploys. */
  actors: readonly DomainActorSpec[]
  /** Module each host process runs: `bun <hostMain> --config <file> --json`. Default runtime/host/main.ts. */
  hostMain?: string | undefined
  /** Extra config for every host (heartbeat, timeouts, kernel…). */
  hostConfig?: Partial<HostConfigInput> | undefined
  /** Extra host ids enrolled (role cloud) but not launched: benchmark and test clients that connect over RPC. */
  clients?: string[] | undefined
  /** Receives every log line of every host (JSON). */
  onLog?: ((hostId: string, line: string) => void) | undefined
  /** Extra flags for each host's `bun` (e.g. `--cpu-prof-md` when profiling). */
  bunFlags?: string[] | undefined
  /** Extra arguments for the host entry, after `--config <file> --json` (e.g. the composition's own options). */
  hostArgs?: string[] | undefined
  /** How long to wait for each host to be ready, ms. Default 30,000. */
  startTimeoutMs?: number | undefined
}

export type Domain = {
  readonly dir: string
  readonly files: DomainFiles
  readonly hosts: ReadonlyMap<string, DomainHost>
  /** The gateway URL of the first (seed) host. */
  readonly gatewayUrl: string
  /** Sends a signal to one host's process (SIGKILL to simulate a crash). */
  kill(hostId: string, signal?: NodeJS.Signals | number): Promise<void>
  /** Starts a stopped or killed host again with the same config. */
  restart(hostId: string): Promise<DomainHost>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts a one-machine domain; see the module comment. */
export async function startDomain(options: StartDomainOptions): Promise<Domain> {
  const [seedSpec, ...rest] = options.hosts
  if (!seedSpec) throw new RangeError('a domain needs at least one host (the first is the seed)')
  await mkdir(join(options.dir, 'run'), { recursive: true })
  const clients = (options.clients ?? []).map((id) => ({ id, role: 'cloud' as const }))
  const files = await createDomainFiles({ dir: options.dir, hosts: [...options.hosts, ...clients] })
  const actors = [...options.actors]
  const hosts = new Map<string, DomainHost>()
  const startTimeoutMs = options.startTimeoutMs ?? 30_000

  const launch = async (id: string, role: HostRole, configFile: string) => {
    const host = await launchHostProcess({ ...options, id, role, configFile, startTimeoutMs })
    hosts.set(id, host)
    return host
  }

  const stopAll = async () => {
    await Promise.all(
      [...hosts.values()].map(async (host) => {
        if (host.process.exitCode !== null || host.process.signalCode !== null) return
        host.process.kill('SIGTERM')
        const timeout = setTimeout(() => host.process.kill('SIGKILL'), 10_000)
        await host.process.exited
        clearTimeout(timeout)
      }),
    )
  }

  try {
    const seedConfig = await files.writeHostConfig(seedSpec, {
      ...options.hostConfig,
      actors,
    } as Partial<HostConfigInput>)
    const seed = await launch(seedSpec.id, seedSpec.role, seedConfig)
    for (const spec of rest) {
      const configFile = await files.writeHostConfig(spec, {
        ...options.hostConfig,
        actors,
        seeds: [seed.run.rpc],
      } as Partial<HostConfigInput>)
      await launch(spec.id, spec.role, configFile)
    }
    const gatewayUrl = seed.run.http
    return {
      dir: options.dir,
      files,
      hosts,
      gatewayUrl,
      async kill(hostId, signal = 'SIGKILL') {
        const host = hosts.get(hostId)
        if (!host) throw new Error(`no host ${hostId} in this domain`)
        host.process.kill(signal)
        await host.process.exited
      },
      async restart(hostId) {
        const host = hosts.get(hostId)
        if (!host) throw new Error(`no host ${hostId} in this domain`)
        if (host.process.exitCode === null && host.process.signalCode === null) {
          throw new Error(`host ${hostId} is still running`)
        }
        return launch(host.id, host.role, host.configFile)
      },
      stop: stopAll,
      [Symbol.asyncDispose]: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}
