/**
 * HTTP load from a separate process.
 * - Fixed offered load (`rate`): open-loop-client.ts (our own, run under
 *   Bun): requests evenly spaced at the rate, latency measured from each
 *   request's intended send time (coordinated omission counted, as wrk2).
 *   autocannon's `--overallRate` was used before and is not fit for latency:
 *   each connection sends its per-second budget back-to-back as soon as the
 *   second starts (bursts of the whole second's load at saturation speed,
 *   then idle), and its coordinated-omission correction uses an expected
 *   interval of ceil(1 / rate) = 1 ms, adding made-up samples for every
 *   response slower than 1 ms — both inflate p99 by far more than the
 *   server's own time.
 * - Saturation (no rate): autocannon (npm, run under Node) with `--json`,
 *   closed loop, for throughput.
 */
import { join } from 'node:path'
import { childOutput } from './child-output.ts'
import { runJsonChild } from './run-json-child.ts'

const AUTOCANNON = join(import.meta.dir, '..', '..', 'node_modules', 'autocannon', 'autocannon.js')

export type HttpLoadOptions = {
  url: string
  body: string
  connections: number
  durationSeconds: number
  /** Extra request headers (e.g. authorization). */
  headers?: Readonly<Record<string, string>> | undefined
  /**
   * Open loop only: requests sent in turn (path and body each), to the host of `url` or to the
   * target's own `origin` (`http://host:port`; the connections are split over the origins).
   */
  targets?: { path: string; body: string; origin?: string | undefined }[] | undefined
  /** Offered requests per second across all connections; omit for saturation. */
  rate?: number | undefined
}

export type HttpLoadResult = {
  requestsPerSecond: number
  /** Open-loop runs: p99 of how late requests left after their intended time (part of p99Ms). */
  sendLagP99Ms?: number | undefined
  p50Ms: number
  p99Ms: number
  maxMs: number
  total: number
  non2xx: number
  errors: number
  timeouts: number
  /** Open-loop runs: the generator process's own CPU time (user + system), ms. */
  cpuMs?: number | undefined
}

const OPEN_LOOP = join(import.meta.dir, 'open-loop-client.ts')

/** Runs the open-loop client at `options.rate` in its own process and returns its figures. */
async function runOpenLoop(options: HttpLoadOptions & { rate: number }): Promise<HttpLoadResult> {
  const config = {
    url: options.url,
    body: options.body,
    headers: options.headers ?? {},
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    rate: options.rate,
    targets: options.targets,
  }
  return runJsonChild<HttpLoadResult>([OPEN_LOOP, JSON.stringify(config)], 'open-loop client')
}

/** Runs one load (open loop at a fixed rate, else autocannon at saturation) and returns its figures. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  if (options.rate) return runOpenLoop({ ...options, rate: options.rate })
  const args = [
    AUTOCANNON,
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.durationSeconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    '-b',
    options.body,
    options.url,
  ]
  const child = Bun.spawn(['node', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const { stdout, stderr, code } = await childOutput(child)
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${stderr.slice(-500)}`)
  const line = stdout.trim().split('\n').at(-1) ?? '{}'
  const result = JSON.parse(line) as {
    requests: { average: number; total: number }
    latency: { p50: number; p99: number; max: number }
    non2xx: number
    errors: number
    timeouts: number
    duration: number
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}
