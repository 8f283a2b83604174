/**
 * HTTP load from a separate process: autocannon (npm, run under Node) with
 * `--json`. Fixed offered loads use `--overallRate` (autocannon corrects for
 * coordinated omission at fixed rates); saturation runs without a rate.
 */
import { join } from 'node:path'

const AUTOCANNON = join(import.meta.dir, '..', '..', 'node_modules', 'autocannon', 'autocannon.js')

export type HttpLoadOptions = {
  url: string
  body: string
  connections: number
  durationSeconds: number
  /** Extra request headers (e.g. authorization). */
  headers?: Readonly<Record<string, string>> | undefined
  /** Offered requests per second across all connections; omit for saturation. */
  rate?: number | undefined
}

export type HttpLoadResult = {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  total: number
  non2xx: number
  errors: number
  timeouts: number
}

/** Runs autocannon once and returns its figures. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
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
    ...(options.rate ? ['-R', String(options.rate)] : []),
    options.url,
  ]
  const child = Bun.spawn(['node', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
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
