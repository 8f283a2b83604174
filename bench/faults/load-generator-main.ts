/**
 * Process entry of one overload load generator:
 * `bun bench/faults/load-generator-main.ts '<LoadGeneratorConfig as JSON>'`.
 * It opens its connections, prints `ready`, waits for `go` on stdin (so
 * several generators start together), runs, and prints one JSON line of
 * {@link LoadGeneratorResult}. Every response is timed from the write of its
 * request and recorded by status, so accepted (2xx) and shed (503) latencies
 * are told apart on the client's side.
 *
 * - `closed`: each connection keeps one request outstanding and sends the
 *   next when it is answered; responses after the warm-up are counted
 *   (saturation: what the gateway serves when it is never idle);
 * - `open`: `rate` requests per second on a fixed schedule whatever the
 *   answers, round-robin over the connections with no request outstanding;
 *   requests due while every connection waits for an answer are counted as
 *   unsent. With `probe`, when the load stops a new client connects and
 *   sends one request at a time for a second, to time the recovery (a
 *   connection opened beforehand would sit idle through the run, and the
 *   server closes idle connections after 60 s).
 */
import { LatencyHistogram } from './latency-histogram.ts'
import { LoadConnection, postRequest } from './load-connection.ts'
import type { LoadGeneratorConfig, LoadGeneratorResult } from './run-load-generators.ts'

type Recorder = ReturnType<typeof newRecorder>

function newRecorder(start: { at: number }) {
  const ok = new LatencyHistogram()
  const okFromIntended = new LatencyHistogram()
  const shed = new LatencyHistogram()
  const loopLag = new LatencyHistogram()
  const statuses: Record<string, number> = {}
  const perSecond = { sent: [] as number[], ok: [] as number[], shed: [] as number[] }
  const bump = (series: number[]) => {
    const second = Math.max(0, Math.floor((performance.now() - start.at) / 1000))
    series[second] = (series[second] ?? 0) + 1
  }
  return {
    ok,
    okFromIntended,
    shed,
    loopLag,
    statuses,
    perSecond,
    sent: () => bump(perSecond.sent),
    response(status: number, latencyMs: number, sinceIntendedMs: number) {
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status >= 200 && status < 300) {
        ok.record(latencyMs)
        okFromIntended.record(sinceIntendedMs)
        bump(perSecond.ok)
      } else if (status === 503) {
        shed.record(latencyMs)
        bump(perSecond.shed)
      }
    },
  }
}

async function waitForGo(): Promise<void> {
  const reader = Bun.stdin.stream().getReader()
  let text = ''
  while (!text.includes('go')) {
    const { value, done } = await reader.read()
    if (done) throw new Error('stdin closed before go')
    text += new TextDecoder().decode(value)
  }
}

async function drained(connections: LoadConnection[], timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (connections.some((c) => c.pending > 0 && !c.closed)) {
    if (performance.now() - started > timeoutMs) break
    await Bun.sleep(1)
  }
  return performance.now() - started
}

async function closedLoop(
  config: LoadGeneratorConfig,
  connections: LoadConnection[],
  state: { measuring: boolean; end: number },
): Promise<{ scheduled: number; sent: number; unsent: number }> {
  const start = performance.now()
  state.end = start + (config.warmupSeconds + config.seconds) * 1000
  for (const connection of connections) connection.send(start)
  await Bun.sleep(config.warmupSeconds * 1000)
  state.measuring = true
  await Bun.sleep(config.seconds * 1000)
  state.measuring = false
  return { scheduled: 0, sent: 0, unsent: 0 }
}

async function openLoop(
  config: LoadGeneratorConfig,
  connections: LoadConnection[],
  recorder: Recorder,
): Promise<{ scheduled: number; sent: number; unsent: number }> {
  const start = performance.now()
  const end = start + config.seconds * 1000
  let scheduled = 0
  let sent = 0
  let cursor = 0
  for (let now = start; now < end; now = performance.now()) {
    const due = Math.floor((config.rate * (now - start)) / 1000) - scheduled
    const first = scheduled
    scheduled += due
    for (let i = 0, tried = 0; i < due && tried < connections.length; tried++) {
      const connection = connections[cursor] as LoadConnection
      cursor = (cursor + 1) % connections.length
      if (connection.pending > 0 || connection.closed) continue
      // Request k (from 0) of the schedule is due at start + (k + 1) / rate.
      connection.send(now, start + ((first + i + 1) * 1000) / config.rate)
      recorder.sent()
      sent++
      i++
      tried = 0
    }
    // The loop's lag: how much later than asked the 1 ms timer fired (responses read meanwhile).
    const asleep = performance.now()
    await Bun.sleep(1)
    recorder.loopLag.record(Math.max(0, performance.now() - asleep - 1))
  }
  return { scheduled, sent, unsent: scheduled - sent }
}

/** After the load stopped: a new connection, one request at a time, for `forMs`. */
async function probeRecovery(
  address: { hostname: string; port: number },
  request: Buffer,
  probe: { forMs: number; normalMs: number },
) {
  const dropped = performance.now()
  const connection = await LoadConnection.open(address, request, (status, latencyMs) =>
    probeAnswers.shift()?.({ status, latencyMs }),
  )
  const latencies = new LatencyHistogram()
  let recoveredMs: number | undefined
  let firstOkMs: number | undefined
  let shed = 0
  while (performance.now() - dropped < probe.forMs && !connection.closed) {
    const answer = Promise.withResolvers<{ status: number; latencyMs: number }>()
    probeAnswers.push(answer.resolve)
    connection.send(performance.now())
    const timer = setTimeout(() => answer.resolve({ status: -1, latencyMs: Number.NaN }), 5000)
    const { status, latencyMs } = await answer.promise
    clearTimeout(timer)
    if (status === -1) {
      console.error('load generator: the recovery probe got no answer within 5 s')
      break
    }
    const since = performance.now() - dropped
    if (status === 503) shed++
    if (status < 200 || status >= 300) continue
    latencies.record(latencyMs)
    firstOkMs ??= since
    if (recoveredMs === undefined && latencyMs <= probe.normalMs) recoveredMs = since
  }
  connection.close()
  return { recoveredMs, firstOkMs, shed, probes: latencies.toJSON() }
}

const probeAnswers: ((answer: { status: number; latencyMs: number }) => void)[] = []

/** Says on stderr what is still outstanding if the run takes far longer than it should. */
function watchdog(config: LoadGeneratorConfig, connections: LoadConnection[]) {
  const expectedMs = (config.warmupSeconds + config.seconds + 15) * 1000
  setTimeout(() => {
    const pending = connections.reduce((n, c) => n + c.pending, 0)
    const closed = connections.filter((c) => c.closed).length
    console.error(
      `load generator still running after ${expectedMs} ms: ${pending} requests outstanding, ${closed} connections closed`,
    )
  }, expectedMs).unref()
}

async function main(config: LoadGeneratorConfig): Promise<LoadGeneratorResult> {
  const request = postRequest(`${config.hostname}:${config.port}`, config.path, config.body)
  const start = { at: performance.now() }
  const recorder = newRecorder(start)
  const state = { measuring: config.mode === 'open', end: Number.POSITIVE_INFINITY }
  const connections: LoadConnection[] = []
  const address = { hostname: config.hostname, port: config.port }
  for (let i = 0; i < config.connections; i++) {
    const connection = await LoadConnection.open(address, request, (status, ms, fromIntended) => {
      if (state.measuring) recorder.response(status, ms, fromIntended)
      if (config.mode === 'closed' && performance.now() < state.end) {
        connection.send(performance.now())
      }
    })
    connections.push(connection)
  }
  console.log('ready')
  await waitForGo()
  watchdog(config, connections)
  const cpuBefore = process.cpuUsage()
  start.at = performance.now()
  const counts =
    config.mode === 'open'
      ? await openLoop(config, connections, recorder)
      : await closedLoop(config, connections, state)
  const recovery = config.probe ? probeRecovery(address, request, config.probe) : undefined
  const drainMs = await drained(connections, 10_000)
  const cpu = process.cpuUsage(cpuBefore)
  return {
    ...counts,
    statuses: recorder.statuses,
    ok: recorder.ok.toJSON(),
    okFromIntended: recorder.okFromIntended.toJSON(),
    shed: recorder.shed.toJSON(),
    loopLag: recorder.loopLag.toJSON(),
    perSecond: recorder.perSecond,
    drainMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    recovery: recovery ? await recovery : undefined,
  }
}

const result = await main(JSON.parse(Bun.argv[2] ?? '{}') as LoadGeneratorConfig)
console.log(JSON.stringify(result))
process.exit(0)
