/**
 * `bun run bench hosts [--json]`: the multi-host runtime on loopback.
 *
 * - cross-host request/reply: this process joins a one-machine domain as an
 *   enrolled host and sends `echo.say` to the echo actor on fog-1 over ONE
 *   authenticated, encrypted RPC connection (a window of outstanding
 *   requests; frames batch what is sent in one tick); side by side, the same
 *   messages to the same actor in a local actor system in this process
 *   (ratio), and the RPC transport alone (`host.ping`, no actor);
 * - round trip p50/p99: one request at a time over the same connection;
 * - HTTP gateway: autocannon in a separate process against fog-1's
 *   `POST /v1/actors/echo/echo.say`, at 1k, 5k and 10k req/s offered and at
 *   saturation; client-side percentiles from autocannon, plus the gateway's own
 *   p99 (upper bucket bound of its /metrics histogram) to separate server time from
 *   load-generator and scheduling noise on a shared machine;
 * - edge host RSS: the edge host process with three idle actors.
 *
 * Hosts and the local system run with `kernel.simulateSerialization: false`
 * (the production setting; tests keep it on).
 *
 * Throughput phases run in 3 interleaved rounds; the median is reported.
 * Options: `--seconds N` per throughput phase (default 3), `--http-seconds N` (default 8).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RpcConnection } from '../../runtime/index.ts'
import {
  createActorSystem,
  createRpcNode,
  createTcpTransport,
  readEnrollmentList,
  readHostKey,
  startDomain,
} from '../../runtime/index.ts'
import { counterFixtures } from '../../runtime/testing/index.ts'
import { demoHosts } from '../../scripts/demo-domain.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { runHttpLoad } from '../harness/http-load.ts'
import { medianBy, percentile, round } from '../harness/stats.ts'

const FIXTURES = join(import.meta.dir, '..', '..', 'runtime', 'host', 'fixtures')
const ECHO = join(FIXTURES, 'echo-actor-fixture.ts')
const COUNTER = counterFixtures.v1
const WINDOW = 1024
const ROUNDS = 3

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name)
  const value = at >= 0 ? Number(args[at + 1]) : Number.NaN
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** Keeps `window` requests outstanding for `seconds`; returns completed requests per second. */
async function throughput(send: () => Promise<unknown>, seconds: number, window = WINDOW) {
  let done = 0
  let failed = 0
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  const lane = async () => {
    while (performance.now() < until) {
      try {
        await send()
        done++
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: window }, lane))
  const elapsed = (performance.now() - started) / 1000
  return { perSecond: done / elapsed, done, failed }
}

type Run = Awaited<ReturnType<typeof throughput>>

/** The run with the median rate. */
function medianRun(runs: Run[]): Run {
  return medianBy(runs, (run) => run.perSecond) as Run
}

async function roundTrips(send: () => Promise<unknown>, count: number) {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    await send()
    samples.push((performance.now() - t0) * 1000)
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) }
}

/** Upper bound (ms) of the bucket holding the p-th percentile of gateway-side latency between two scrapes. */
function serverPercentileMs(before: string, after: string, route: string, p: number): number {
  const buckets = (text: string) => {
    const out = new Map<string, number>()
    for (const line of text.split('\n')) {
      if (
        !line.startsWith('vigil_http_request_duration_seconds_bucket') ||
        !line.includes(`route="${route}"`)
      )
        continue
      const le = /le="([^"]+)"/.exec(line)?.[1]
      if (le) out.set(le, Number(line.slice(line.lastIndexOf(' ') + 1)))
    }
    return out
  }
  const a = buckets(before)
  const b = buckets(after)
  const total = (b.get('+Inf') ?? 0) - (a.get('+Inf') ?? 0)
  for (const [le, count] of b) {
    if ((count - (a.get(le) ?? 0)) / total >= p / 100)
      return le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * 1000
  }
  return Number.NaN
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return kb / 1024
}
type Log = (line: string) => void
type ActorSystem = ReturnType<typeof createActorSystem>

/** One edge and one fog host: echo on the fog, three idle actors and an echo on the edge. */
async function startBenchDomain(dir: string) {
  return await startDomain({
    dir,
    hosts: demoHosts({ edges: 1, fogs: 1 }),
    clients: ['bench'],
    actors: [
      { name: 'echo', module: ECHO, placement: { role: 'fog' } },
      // Three idle actors on the edge, as on a Pi beside one camera.
      {
        name: 'camera-cam-1',
        module: COUNTER,
        placement: { role: 'edge', labels: { camera: 'cam-1' } },
      },
      {
        name: 'detect-cam-1',
        module: COUNTER,
        placement: { role: 'edge', labels: { camera: 'cam-1' } },
      },
      { name: 'echo-edge', module: ECHO, placement: { role: 'edge', fallback: 'none' } },
    ],
    // Production setting: messages that crossed hosts were really msgpack-encoded; the simulated
    // round trip (on in tests) would encode them a second time. The local system uses the same.
    hostConfig: { kernel: { mailboxCapacity: 8192, simulateSerialization: false } },
  })
}

/** Cross-host vs local actor asks (interleaved rounds, median of each), round trips, RPC alone. */
async function measureMessaging(log: Log, rpc: RpcConnection, local: ActorSystem, seconds: number) {
  const payload = { text: 'hello vigil', seq: 1 }
  const remoteAsk = () =>
    rpc.request(
      'actor.ask',
      { actor: 'echo', type: 'echo.say', payload, timeoutMs: 30_000 },
      { timeoutMs: 30_000 },
    )
  const ping = () => rpc.request('host.ping', null)
  await local.spawn('echo', { module: ECHO })
  const localAsk = () => local.ask('echo', 'echo.say', payload, { timeoutMs: 30_000 })

  // Warm up JITs, workers and connections.
  await throughput(remoteAsk, 1)
  await throughput(localAsk, 1)

  log(
    `cross-host and local request/reply, window ${WINDOW}, ${ROUNDS} rounds of ${seconds} s each…`,
  )
  // Interleaved rounds, median of each: the machine is shared, so load changes during a run.
  const rounds = { cross: [] as Run[], local: [] as Run[], transport: [] as Run[] }
  for (let round = 0; round < ROUNDS; round++) {
    rounds.cross.push(await throughput(remoteAsk, seconds))
    rounds.local.push(await throughput(localAsk, seconds))
    rounds.transport.push(await throughput(ping, seconds))
  }
  const cross = medianRun(rounds.cross)
  const inHost = medianRun(rounds.local)
  const transport = medianRun(rounds.transport)
  log(
    `  rounds (msg/s): cross ${rounds.cross.map((r) => Math.round(r.perSecond)).join(', ')}; local ${rounds.local.map((r) => Math.round(r.perSecond)).join(', ')}`,
  )
  const rtt = await roundTrips(remoteAsk, 3000)
  const localRtt = await roundTrips(localAsk, 3000)
  log(
    `  cross-host actor asks: ${Math.round(cross.perSecond)} msg/s (failed ${cross.failed}); rtt p50 ${round(rtt.p50)} µs p99 ${round(rtt.p99)} µs`,
  )
  log(
    `  local actor asks:      ${Math.round(inHost.perSecond)} msg/s (failed ${inHost.failed}); rtt p50 ${round(localRtt.p50)} µs p99 ${round(localRtt.p99)} µs`,
  )
  log(`  ratio cross/local:     ${round(cross.perSecond / inHost.perSecond, 3)}`)
  log(`  RPC transport only (host.ping): ${Math.round(transport.perSecond)} msg/s`)
  log(`  frames sent ${rpc.counters.frames_sent} for ${rpc.counters.sent} messages`)
  return { cross, inHost, transport, rtt, localRtt }
}

/** The fog gateway at fixed offered rates (open loop) and at saturation. */
async function measureHttp(log: Log, http: string, httpSeconds: number) {
  const url = `${http}/v1/actors/echo/echo.say`
  const body = JSON.stringify({ text: 'hello vigil' })
  log(`HTTP gateway (fixed rates open-loop, saturation autocannon), ${httpSeconds} s per load…`)
  await runHttpLoad({ url, body, connections: 16, durationSeconds: 2 })
  const scrape = async () => (await fetch(`${http}/metrics`)).text()
  const route = 'POST /v1/actors/echo'
  const fixed: Record<string, Awaited<ReturnType<typeof runHttpLoad>> & { serverP99Ms: number }> =
    {}
  for (const rate of [1000, 5000, 10_000]) {
    const before = await scrape()
    const r = await runHttpLoad({
      url,
      body,
      connections: 50,
      durationSeconds: httpSeconds,
      rate,
    })
    fixed[rate] = { ...r, serverP99Ms: serverPercentileMs(before, await scrape(), route, 99) }
    log(
      `  offered ${rate}/s (50 connections): served ${Math.round(r.requestsPerSecond)}/s, client p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms max ${r.maxMs} ms (generator send lag p99 ${r.sendLagP99Ms} ms); gateway p99 ≤ ${fixed[rate].serverP99Ms} ms; non2xx ${r.non2xx} errors ${r.errors}`,
    )
  }
  const before = await scrape()
  const saturation = await runHttpLoad({
    url,
    body,
    connections: 64,
    durationSeconds: httpSeconds,
  })
  const saturationServerP99 = serverPercentileMs(before, await scrape(), route, 99)
  log(
    `  saturation (64 connections): ${Math.round(saturation.requestsPerSecond)}/s, client p50 ${saturation.p50Ms} ms p99 ${saturation.p99Ms} ms; gateway p99 ≤ ${saturationServerP99} ms; non2xx ${saturation.non2xx}`,
  )
  return { fixed, saturation, saturationServerP99 }
}

export const scenario: BenchScenario = {
  name: 'hosts',
  description: 'cross-host RPC vs local actor messages, HTTP gateway load, edge host RSS',
  async run({ log, args }) {
    const seconds = option(args, '--seconds', 3)
    const httpSeconds = option(args, '--http-seconds', 8)
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-hosts-'))
    const domain = await startBenchDomain(dir)
    const local = createActorSystem({
      config: { mailboxCapacity: 8192, simulateSerialization: false },
    })
    let connection: RpcConnection | undefined
    const client = createRpcNode({
      transport: createTcpTransport(),
      hostId: 'bench',
      key: await readHostKey(domain.files.keyFile('bench')),
      enrollment: await readEnrollmentList(
        domain.files.enrollmentFile,
        domain.files.adminPublicKey,
      ),
      handler: { request: () => null },
    })
    try {
      const fog = domain.hosts.get('fog-1')
      const edge = domain.hosts.get('edge-1')
      if (!fog || !edge) throw new Error('domain did not start fog-1 and edge-1')
      const [hostname, port] = fog.run.rpc.split(':') as [string, string]
      connection = await client.connect({ hostname, port: Number(port), expectedPeerId: 'fog-1' })
      const { cross, inHost, transport, rtt, localRtt } = await measureMessaging(
        log,
        connection,
        local,
        seconds,
      )
      const { fixed, saturation, saturationServerP99 } = await measureHttp(
        log,
        fog.run.http,
        httpSeconds,
      )
      const edgeRss = await rssMb(edge.process.pid)
      const fogRss = await rssMb(fog.process.pid)
      log(
        `edge host RSS with 3 idle actors (smol workers): ${round(edgeRss, 1)} MB; fog host RSS: ${round(fogRss, 1)} MB`,
      )
      return {
        cross_host_msgs_per_s: Math.round(cross.perSecond),
        local_msgs_per_s: Math.round(inHost.perSecond),
        cross_to_local_ratio: round(cross.perSecond / inHost.perSecond, 3),
        rpc_transport_msgs_per_s: Math.round(transport.perSecond),
        cross_host_rtt_p50_us: round(rtt.p50, 1),
        cross_host_rtt_p99_us: round(rtt.p99, 1),
        local_rtt_p50_us: round(localRtt.p50, 1),
        local_rtt_p99_us: round(localRtt.p99, 1),
        http_req_per_s: Math.round(saturation.requestsPerSecond),
        http_p50_ms_at_saturation: saturation.p50Ms,
        http_p99_ms_at_saturation: saturation.p99Ms,
        http_gateway_p99_ms_at_saturation: saturationServerP99,
        http_p50_ms_at_1k: fixed[1000]?.p50Ms,
        http_p99_ms_at_1k: fixed[1000]?.p99Ms,
        http_p50_ms_at_5k: fixed[5000]?.p50Ms,
        http_p99_ms_at_5k: fixed[5000]?.p99Ms,
        http_gateway_p99_ms_at_5k: fixed[5000]?.serverP99Ms,
        http_served_per_s_at_10k: Math.round(fixed[10_000]?.requestsPerSecond ?? 0),
        http_p50_ms_at_10k: fixed[10_000]?.p50Ms,
        http_p99_ms_at_10k: fixed[10_000]?.p99Ms,
        edge_host_rss_mb: round(edgeRss, 1),
        fog_host_rss_mb: round(fogRss, 1),
      }
    } finally {
      client.close()
      await local.shutdown()
      await domain.stop()
      await rm(dir, { recursive: true, force: true })
    }
  },
}
