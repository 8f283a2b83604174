/**
 * Runs a host as the main program of a process: loads and validates the
 * config, logs readable lines (or JSON with `json: true`), starts the host,
 * reports where it listens (a `host.ready` log entry and the optional run
 * file), and leaves the domain gracefully on SIGINT/SIGTERM. A composition
 * entry (e.g. in scripts/) calls it with its `plugins`; runtime/host/main.ts
 * runs a host without any.
 */
import { unlink } from 'node:fs/promises'
import { createLogger } from '../log/create-logger.ts'
import { loadHostConfig } from './host-config.ts'
import type { HostPluginFactory } from './host-plugins.ts'
import { type Host, startHost } from './start-host.ts'

export type RunHostOptions = {
  configFile: string
  json: boolean
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** The composition's hooks (see host-plugins.ts); a script in scripts/ passes them. */
  plugins?: HostPluginFactory | undefined
  /** Called once the host is ready (e.g. a benchmark entry installing a fault-injection signal). */
  onReady?: ((host: Host) => void) | undefined
}

/** What a running host reports about itself (stdout `host.ready` entry and run file). */
export type HostRunInfo = {
  hostId: string
  role: string
  pid: number
  rpc: string
  http: string
}

/** Starts the host and resolves once it is stopped by a signal. */
export async function runHost(options: RunHostOptions): Promise<void> {
  const config = await loadHostConfig({ file: options.configFile, env: options.env })
  const log = createLogger({ source: config.id, json: options.json })
  const host: Host = await startHost({ config, log, plugins: options.plugins })
  const run: HostRunInfo = {
    hostId: config.id,
    role: config.role,
    pid: process.pid,
    rpc: host.info.rpc,
    http: host.info.http,
  }
  if (config.runFile) await Bun.write(config.runFile, JSON.stringify(run))
  options.onReady?.(host)
  log('host.ready', { ...run })
  const stopped = Promise.withResolvers<void>()
  const stop = async (signal: string) => {
    log('host.stopping', { signal })
    try {
      await host.stop()
      if (config.runFile) await unlink(config.runFile).catch(() => {})
    } finally {
      stopped.resolve()
    }
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
  await stopped.promise
}
