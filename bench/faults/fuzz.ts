/**
 * `bun run bench faults fuzz [--seed N] [--scale F]`: ≥ 1,000,000 RPC frames
 * (in process on every decoder layer, plus a live listener), ≥ 100,000
 * malformed HTTP requests against a live host's gateway and ≥ 100,000
 * malformed ABCI requests and transactions (in process and over a live ABCI
 * socket). The live host runs in its own process (the production entry), so
 * its peak RSS is the product's memory under hostile input; this process
 * holds the fuzzer and the in-process targets (RPC decoder layers, ABCI app),
 * and its peak is reported apart. Reports crashes, unclear rejections, both
 * peaks and whether the host still serves.
 */
import { createAbciFuzzTarget, fuzzAbciApp, fuzzAbciSocket } from '../../ledger/testing/index.ts'
import {
  type FuzzReport,
  fuzzGateway,
  fuzzRpcDecoder,
  fuzzRpcListener,
  maxRssMb,
} from '../../runtime/testing/index.ts'
import type { FaultRun } from './fault-run.ts'
import { startTargetHostProcess } from './target-host-process.ts'

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name)
  return index >= 0 ? Number(args[index + 1]) : fallback
}

function summary(name: string, report: FuzzReport): string {
  const top = Object.entries(report.outcomes)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ')
  const examples = report.examples.map((e) => `\n    ${e}`).join('')
  return `${name}: ${report.cases} cases, ${report.crashes} crashes, ${report.unclear} unclear; ${top}${examples}`
}

export const fuzzFault: FaultRun = {
  name: 'fuzz',
  description:
    'random and mutated RPC frames, HTTP requests and ABCI requests against live targets',
  async run({ log, args }) {
    const seed = flag(args, '--seed', Date.now() % 1_000_000)
    const scale = flag(args, '--scale', 1)
    log(`fuzz seed ${seed} (replay: bun run bench faults fuzz --seed ${seed})`)
    const target = await startTargetHostProcess()
    const idle = { host: target.rss().current, harness: maxRssMb() }
    const started = performance.now()
    const decoder = await fuzzRpcDecoder({ seed, frames: Math.round(900_000 * scale) })
    log(summary('rpc decoder (in process)', decoder))
    const listener = await fuzzRpcListener(target, {
      seed,
      unauthenticatedFrames: Math.round(30_000 * scale),
      authenticatedFrames: Math.round(70_000 * scale),
    })
    log(`${summary('rpc listener (live)', listener)}\n  host RSS now ${hostRss(target)}`)
    const http = await fuzzGateway(target.gatewayUrl, {
      seed,
      requests: Math.round(100_000 * scale),
    })
    log(`${summary('gateway (live)', http)}\n  host RSS now ${hostRss(target)}`)
    const abci = await createAbciFuzzTarget()
    const abciApp = await fuzzAbciApp(abci, { seed, requests: Math.round(80_000 * scale) })
    log(summary('abci app (in process)', abciApp))
    const abciSocket = await fuzzAbciSocket(abci, { seed, requests: Math.round(20_000 * scale) })
    log(summary('abci socket (live)', abciSocket))
    const serving = await stillServing(target.gatewayUrl)
    const rpcAlive = await fuzzRpcListener(target, {
      seed,
      unauthenticatedFrames: 0,
      authenticatedFrames: 1,
    })
    const abciAlive = abci.app.checkTx({ tx: abci.validTx(1n), type: 0 }).code === 0
    const hostPeak = target.rss().peak
    await target.stop()
    const reports = [decoder, listener, http, abciApp, abciSocket]
    const crashes =
      reports.reduce((n, r) => n + r.crashes, 0) +
      (serving && abciAlive && rpcAlive.crashes === 0 ? 0 : 1)
    const seconds = (performance.now() - started) / 1000
    log(
      `host still serving: http ${serving}, rpc ${rpcAlive.crashes === 0}, abci ${abciAlive}; ${seconds.toFixed(0)} s`,
    )
    log(
      `RSS of the live host process: idle ${idle.host.toFixed(0)} MiB, peak ${hostPeak.toFixed(0)} MiB; of this process (fuzzer, in-process decoder and ABCI app): idle ${idle.harness.toFixed(0)} MiB, peak ${maxRssMb().toFixed(0)} MiB`,
    )
    return {
      fuzz_seed: seed,
      fuzz_frames: decoder.cases + listener.cases,
      fuzz_http_requests: http.cases,
      fuzz_abci_requests: abciApp.cases + abciSocket.cases,
      fuzz_crashes: crashes,
      fuzz_unclear_rejections: reports.reduce((n, r) => n + r.unclear, 0),
      fuzz_max_rss_mb: Math.round(hostPeak),
      fuzz_idle_rss_mb: Math.round(idle.host),
      fuzz_harness_max_rss_mb: Math.round(maxRssMb()),
      fuzz_harness_idle_rss_mb: Math.round(idle.harness),
      fuzz_seconds: Math.round(seconds),
      fuzz_host_serving_after: serving && abciAlive && rpcAlive.crashes === 0,
    }
  },
}

function hostRss(target: { rss(): { current: number; peak: number } }): string {
  const { current, peak } = target.rss()
  return `${current.toFixed(0)} MiB (peak so far ${peak.toFixed(0)} MiB)`
}

async function stillServing(url: string): Promise<boolean> {
  const response = await fetch(`${url}/v1/actors/echo/echo.say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'after the fuzz' }),
  })
  return response.status === 200
}
