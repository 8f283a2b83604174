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
  /** Requests sent in turn to the same host (request i gets targets[i % length]); url/body when absent. */
  targets?: { path: string; body: string }[] | undefined
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const target = new URL(options.url)
const targets = options.targets ?? [
  { path: `${target.pathname}${target.search}`, body: options.body },
]
const requests = targets.map(({ path, body }) => {
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: ${target.host}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n')
  return Buffer.from(head + body)
})
let sentCount = 0

type Connection = { socket: Socket; buffer: Buffer; due: number; sentAt: number; busy: boolean }

const latencies: number[] = []
const lags: number[] = []
let non2xx = 0
let errors = 0
const idle: Connection[] = []
const waiting: number[] = []

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

function send(connection: Connection, due: number): void {
  connection.busy = true
  connection.due = due
  connection.sentAt = performance.now()
  lags.push(connection.sentAt - due)
  connection.socket.write(requests[sentCount++ % requests.length] as Buffer)
}

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname)
    socket.setNoDelay(true)
    const connection: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      due: 0,
      sentAt: 0,
      busy: false,
    }
    socket.once('connect', () => {
      idle.push(connection)
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
      const next = waiting.shift()
      if (next !== undefined) send(connection, next)
      else idle.push(connection)
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
  await Promise.all(Array.from({ length: options.connections }, open))
  const t0 = performance.now()
  const schedule = constantRateSchedule(t0, options.rate, options.durationSeconds)
  const total = schedule.total
  let next = 0
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      for (const due = schedule.dueBy(now); next < due; next++) {
        const connection = idle.pop()
        if (connection) send(connection, schedule.dueAt(next))
        else waiting.push(schedule.dueAt(next))
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, schedule.dueAt(next) - now)))
      else resolve()
    }
    tick()
  })
  // Let the last requests finish (up to 10 s); unanswered ones count as errors.
  const deadline = performance.now() + 10_000
  while (latencies.length + errors < total && performance.now() < deadline) await Bun.sleep(5)
  const elapsedS = (performance.now() - t0) / 1000
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
    })}\n`,
  )
  process.exit(0)
}

await main()
