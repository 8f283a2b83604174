/**
 * `bun run bench faults overload [--seconds N]`: a live host's gateway (echo
 * actor in a worker, default admission control) is first saturated to find
 * its capacity, then offered 3× that rate by autocannon for N seconds
 * (default 60) with 1,000 connections. A probe in this process sends one
 * request at a time throughout and times the accepted ones (autocannon's own
 * latencies mix in the fast 503s); RSS is sampled every 250 ms. Recovery is
 * the time from the end of the overload to the first accepted probe.
 * autocannon runs in a second process on the same 2 cores as the host.
 */

import { startFuzzTargetHost } from '../../runtime/testing/index.ts'
import { runHttpLoad } from '../harness/http-load.ts'
import { rssMb } from '../harness/process-usage.ts'
import { percentile, round } from '../harness/stats.ts'
import type { FaultRun } from './fault-run.ts'

const BODY = JSON.stringify({ text: 'overload' })

export const overloadFault: FaultRun = {
  name: 'overload',
  description:
    'offered load at 3x saturation: 503 + Retry-After shedding, bounded p99 and memory, recovery',
  async run({ log, args }) {
    const at = args.indexOf('--seconds')
    const seconds = at >= 0 ? Number(args[at + 1]) : 60
    const target = await startFuzzTargetHost()
    const url = `${target.gatewayUrl}/v1/actors/echo/echo.say`
    await runHttpLoad({ url, body: BODY, connections: 16, durationSeconds: 2 })
    const idle = rssMb(process.pid).current
    const saturation = await runHttpLoad({ url, body: BODY, connections: 64, durationSeconds: 5 })
    const capacity = (saturation.total - saturation.non2xx) / 5
    log(`saturation: ${round(capacity)} accepted req/s (p99 ${saturation.p99Ms} ms)`)
    const probe = startProbe(url)
    const load = await runHttpLoad({
      url,
      body: BODY,
      connections: 1000,
      durationSeconds: seconds,
      rate: Math.round(3 * capacity),
    })
    const ended = performance.now()
    const stats = probe.stop()
    const recoveryMs = await recovery(url, ended)
    await target.stop()
    const accepted = (load.total - load.non2xx) / seconds
    const figures = {
      overload_offered_per_s: Math.round(3 * capacity),
      overload_delivered_per_s: Math.round(load.requestsPerSecond),
      overload_accepted_per_s: Math.round(accepted),
      overload_shed_per_s: Math.round(load.non2xx / seconds),
      overload_accepted_p99_ms: round(percentile(stats.latencies, 99)),
      overload_accepted_p50_ms: round(percentile(stats.latencies, 50)),
      overload_probe_shed_ratio: round(
        stats.shed / Math.max(1, stats.shed + stats.latencies.length),
        3,
      ),
      overload_probe_other_statuses: stats.other,
      overload_max_rss_mb: round(stats.maxRss),
      overload_idle_rss_mb: round(idle),
      overload_recovery_ms: round(recoveryMs),
      overload_connection_errors: load.errors + load.timeouts,
    }
    log(JSON.stringify(figures))
    return figures
  },
}

/** One request at a time: latencies of accepted ones, count of 503s, RSS peak. */
function startProbe(url: string) {
  const latencies: number[] = []
  let shed = 0
  let other = 0
  let maxRss = rssMb(process.pid).current
  let running = true
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rssMb(process.pid).current)
  }, 250)
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      }).catch(() => undefined)
      const status = response?.status ?? 0
      await response?.arrayBuffer()
      if (status === 200) latencies.push(performance.now() - started)
      else if (status === 503 && response?.headers.get('retry-after')) shed++
      else other++
    }
  })()
  return {
    stop() {
      running = false
      clearInterval(sampler)
      void loop
      return { latencies, shed, other, maxRss }
    },
  }
}

/** Milliseconds from `since` until a request is accepted. */
async function recovery(url: string, since: number): Promise<number> {
  for (;;) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    })
    await response.arrayBuffer()
    if (response.status === 200) return performance.now() - since
  }
}
