/**
 * Open-loop HTTP load at a fixed rate, run as its own process by
 * http-load.ts (`bun open-loop-client.ts <json options>`; prints one JSON line).
 *
 * Request i is due at t0 + i / rate (evenly spaced, whatever the server
 * does) and its latency is measured from that intended time, not from when
 * it was written, so a stalled server or a stalled generator counts in full
 * (coordinated omission accounted as wrk2 does). It goes out on an idle
 * keep-alive connection of a fixed pool (one request at a time per
 * connection, no pipelining); when none is idle it waits for one, and the
 * wait counts. Timers tick every millisecond at most, so a request can
 * leave up to ~1 ms after it was due: that lag is part of the latency and
 * is reported on its own (`sendLagP99Ms`).
 */
import { connect, type Socket } from 'node:net'
import { constantRateSchedule } from './constant-rate-schedule.ts'

type Options = {
  url: string
  body: string
  headers: Record<string, string>
  connections: number
  durationSeconds: number
  rate: number
  /**
   * Requests sent in turn (request i gets targets[i % length]); url/body when absent. A target's
   * `origin` (`http://host:port`) sends it there instead of to the host of `url`: the connections
   * are then split evenly over the origins, as clients behind a load balancer would be.
   */
  targets?: { path: string; body: string; origin?: string | undefined }[] | undefined
}

type Connection = { socket: Socket; buffer: Buffer; due: number; sentAt: number; busy: boolean }
/** The connections to one origin, and the requests due there waiting for an idle one. */
type Pool = { url: URL; idle: Connection[]; waiting: { due: number; request: Buffer }[] }

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const target = new URL(options.url)
const targets = options.targets ?? [
  { path: `${target.pathname}${target.search}`, body: options.body },
]
const pools = new Map<string, Pool>()
const requests = targets.map(({ path, body, origin }) => {
  const url = origin ? new URL(origin) : target
  const pool = pools.get(url.host) ?? { url, idle: [], waiting: [] }
  pools.set(url.host, pool)
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: ${url.host}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n')
  return { pool, bytes: Buffer.from(head + body) }
})
let sentCount = 0

const latencies: number[] = []
const lags: number[] = []
let non2xx = 0
let errors = 0

/** Length of the first complete response in `buffer` and its status, or undefined. */
function parseResponse(buffer: Buffer): { length: number; status: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const header = buffer.subarray(0, end).toString('latin1')
  const status = Number(header.slice(9, 12))
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(header)
  const length = end + 4 + (match ? Number(match[1]) : 0)
  return buffer.length >= length ? { length, status } : undefined
}

function send(connection: Connection, due: number, request: Buffer): void {
  connection.busy = true
  connection.due = due
  connection.sentAt = performance.now()
  lags.push(connection.sentAt - due)
  connection.socket.write(request)
}

/** Sends request number `index` (due at `due`) on an idle connection of its pool, or queues it. */
function dispatch(index: number, due: number): void {
  const { pool, bytes } = requests[index % requests.length] as (typeof requests)[number]
  const connection = pool.idle.pop()
  if (connection) send(connection, due, bytes)
  else pool.waiting.push({ due, request: bytes })
}

function open(pool: Pool): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(pool.url.port), pool.url.hostname)
    socket.setNoDelay(true)
    const connection: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      due: 0,
      sentAt: 0,
      busy: false,
    }
    socket.once('connect', () => {
      pool.idle.push(connection)
      resolve()
    })
    socket.once('error', reject)
    socket.on('data', (chunk: Buffer) => {
      connection.buffer =
        connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk])
      const response = parseResponse(connection.buffer)
      if (!response) return
      connection.buffer = connection.buffer.subarray(response.length)
      latencies.push(performance.now() - connection.due)
      if (response.status < 200 || response.status >= 300) non2xx++
      connection.busy = false
      const next = pool.waiting.shift()
      if (next !== undefined) send(connection, next.due, next.request)
      else pool.idle.push(connection)
    })
    socket.on('error', () => {
      errors++
    })
  })
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

async function main(): Promise<void> {
  const perPool = Math.max(1, Math.ceil(options.connections / pools.size))
  await Promise.all(
    [...pools.values()].flatMap((pool) => Array.from({ length: perPool }, () => open(pool))),
  )
  const cpuStart = process.cpuUsage()
  const t0 = performance.now()
  const schedule = constantRateSchedule(t0, options.rate, options.durationSeconds)
  const total = schedule.total
  let next = 0
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      for (const due = schedule.dueBy(now); next < due; next++)
        dispatch(sentCount++, schedule.dueAt(next))
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, schedule.dueAt(next) - now)))
      else resolve()
    }
    tick()
  })
  // Let the last requests finish (up to 10 s); unanswered ones count as errors.
  const deadline = performance.now() + 10_000
  while (latencies.length + errors < total && performance.now() < deadline) await Bun.sleep(5)
  const elapsedS = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpuStart)
  const sorted = latencies.slice().sort((a, b) => a - b)
  const lagSorted = lags.slice().sort((a, b) => a - b)
  const round2 = (value: number) => Math.round(value * 100) / 100
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: latencies.length / elapsedS,
      p50Ms: round2(percentile(sorted, 50)),
      p99Ms: round2(percentile(sorted, 99)),
      maxMs: round2(sorted.at(-1) ?? 0),
      sendLagP99Ms: round2(percentile(lagSorted, 99)),
      total: latencies.length,
      non2xx,
      // Requests without an answer (socket errors included).
      errors: total - latencies.length,
      socketErrors: errors,
      timeouts: 0,
      // This generator's own CPU time over the run (user + system), ms.
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    })}\n`,
  )
  process.exit(0)
}

await main()
