/**
 * `bun run bench faults overload [--seconds N] [--generators G] [--actor busy|echo]
 * [--busy-us U] [--busy-max-in-flight N] [--busy-max-queue-ms N] [--target-lag-ms N]
 * [--min-in-flight N] [--turn-budget-ms N] [--connections N] [--gc-log]`: a live host
 * (its own process, actors in workers) is offered 3× its saturation for N
 * seconds (default 60), once per actor (default both):
 *
 * - `busy`: every message costs U µs of CPU in the actor's worker (default
 *   1,000), so capacity is the actor's; it has admission limits of its own
 *   (`gateway.admission.actors.busy`, default 16 in flight, 10 ms queue
 *   budget: ~16 ms of work in flight + 10 ms of wait) — the case load
 *   shedding is for;
 * - `echo`: a message costs next to nothing, so capacity is the HTTP
 *   server's own, under the default shared limits; at 3× the host must even
 *   refuse faster than it can (see docs/reliability.md).
 *
 * Everything is measured by raw-socket load generators in their own
 * processes (bench/faults/load-generator-main.ts), each response timed from
 * its request's write and kept by status, so the accepted (2xx) latency is
 * the client's view of requests that went through the gateway to the worker
 * and back, never mixed with the fast 503s:
 *
 * 1. baseline: 100 req/s for 3 s → normal latency (p50, p99 of 2xx);
 * 2. saturation: 64 connections, one request outstanding each, for 5 s →
 *    accepted req/s (the same generator and route as the overload);
 * 3. overload: 3× that rate offered on a fixed schedule by G generator
 *    processes (default 2) over 1,000 connections (`--connections`; one
 *    request outstanding on each); the host's RSS is sampled every 250 ms;
 *    the generators also time each accepted request from when the schedule
 *    meant it to go and report their own event loop's lag, and with
 *    `--gc-log` the host's garbage-collector pauses are logged and summed;
 * 4. recovery: when the load stops, a connection that stayed idle sends one
 *    request at a time; recovery is the time from the load's end to the first
 *    accepted request whose latency is within the baseline p99.
 */
import { cpuSeconds } from '../harness/process-usage.ts'
import { round } from '../harness/stats.ts'
import type { FaultRun } from './fault-run.ts'
import type { HeapPauses } from './gc-pause-log.ts'
import { LatencyHistogram } from './latency-histogram.ts'
import {
  type LoadGeneratorConfig,
  type MergedLoad,
  runLoadGenerators,
} from './run-load-generators.ts'
import { startTargetHostProcess, type TargetHostProcess } from './target-host-process.ts'

function flag(args: string[], name: string): number | undefined {
  const index = args.indexOf(name)
  return index >= 0 ? Number(args[index + 1]) : undefined
}

type Route = { actor: string; path: string; body: string; prefix: string }

function routesOf(args: string[]): Route[] {
  const at = args.indexOf('--actor')
  const only = at >= 0 ? args[at + 1] : undefined
  const us = flag(args, '--busy-us') ?? 1000
  const routes: Route[] = [
    {
      actor: 'busy',
      path: '/v1/actors/busy/busy.work',
      body: JSON.stringify({ us }),
      prefix: 'overload_',
    },
    {
      actor: 'echo',
      path: '/v1/actors/echo/echo.say',
      body: JSON.stringify({ text: 'overload' }),
      prefix: 'overload_echo_',
    },
  ]
  const chosen = routes.filter((route) => only === undefined || route.actor === only)
  if (chosen.length === 0) throw new Error(`--actor ${only}: choose busy or echo`)
  return chosen
}

export const overloadFault: FaultRun = {
  name: 'overload',
  description:
    'offered load at 3x saturation: 503 + Retry-After shedding, bounded p99 and memory, recovery',
  async run({ log, args }) {
    const seconds = flag(args, '--seconds') ?? 60
    const generators = flag(args, '--generators') ?? 2
    const connections = flag(args, '--connections') ?? 1000
    const busy = {
      maxInFlight: flag(args, '--busy-max-in-flight') ?? 16,
      maxQueueMs: flag(args, '--busy-max-queue-ms') ?? 10,
    }
    const targetLagMs = flag(args, '--target-lag-ms')
    const minInFlight = flag(args, '--min-in-flight')
    const turnBudgetMs = flag(args, '--turn-budget-ms')
    const admission = {
      actors: { busy },
      ...(targetLagMs !== undefined ? { targetLagMs } : {}),
      ...(turnBudgetMs !== undefined ? { turnBudgetMs } : {}),
      ...(minInFlight !== undefined ? { minInFlight } : {}),
    }
    const target = await startTargetHostProcess({
      admission,
      busy: true,
      gcLog: args.includes('--gc-log'),
    })
    log(`admission: ${JSON.stringify(admission)} (the rest: defaults)`)
    try {
      const figures: Record<string, unknown> = { overload_busy_us: flag(args, '--busy-us') ?? 1000 }
      for (const route of routesOf(args)) {
        log(`### ${route.actor}`)
        const options = { seconds, generators, connections, log }
        Object.assign(figures, await overloadRun(target, route, options))
      }
      return figures
    } finally {
      await target.stop()
    }
  },
}

async function overloadRun(
  target: TargetHostProcess,
  route: Route,
  options: { seconds: number; generators: number; connections: number; log: (s: string) => void },
): Promise<Record<string, unknown>> {
  const { seconds, generators, connections, log } = options
  const url = new URL(target.gatewayUrl)
  const base: LoadGeneratorConfig = {
    mode: 'closed',
    hostname: url.hostname,
    port: Number(url.port),
    path: route.path,
    body: route.body,
    connections: 16,
    rate: 0,
    seconds: 1,
    warmupSeconds: 2,
  }
  await runLoadGenerators(base)
  const idleRss = target.rss().current
  const baseline = await runLoadGenerators({
    ...base,
    mode: 'open',
    connections: 8,
    rate: 100,
    seconds: 3,
  })
  const normalMs = baseline.ok.percentile(99)
  log(
    `baseline 100 req/s: accepted p50 ${round(baseline.ok.percentile(50))} ms, p99 ${round(normalMs)} ms`,
  )
  const saturation = await runLoadGenerators({
    ...base,
    connections: 64,
    seconds: 5,
    warmupSeconds: 1,
  })
  const capacity = saturation.ok.count / 5
  log(
    `saturation (64 connections, 1 outstanding each): ${round(capacity)} accepted req/s, p99 ${round(saturation.ok.percentile(99))} ms, ${round((saturation.statuses['503'] ?? 0) / 5)} shed/s`,
  )
  const sampler = sampleHost(target)
  const overload = await runLoadGenerators(
    {
      ...base,
      mode: 'open',
      connections,
      rate: Math.round(3 * capacity),
      seconds,
      probe: { forMs: 1000, normalMs },
    },
    generators,
  )
  const host = sampler.stop()
  const figures = overloadFigures({ capacity, seconds, normalMs, idleRss, overload, host })
  log(overloadSummary(figures, overload))
  if (target.gc) log(gcSummary(target.gc.pausesSince(host.gcMark), seconds))
  return Object.fromEntries(
    Object.entries(figures).map(([name, value]) => [
      name.replace(/^overload_/, route.prefix),
      value,
    ]),
  )
}

/** Samples the host's RSS every 250 ms and its CPU time over the run. */
function sampleHost(target: TargetHostProcess) {
  const cpuBefore = cpuSeconds(target.pid)
  const gcMark = target.gc?.mark() ?? 0
  const started = performance.now()
  let maxRss = target.rss().current
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, target.rss().current)
  }, 250)
  return {
    stop() {
      clearInterval(timer)
      const wallSeconds = (performance.now() - started) / 1000
      return { maxRss, gcMark, cpuShare: (cpuSeconds(target.pid) - cpuBefore) / wallSeconds }
    },
  }
}

function overloadFigures(run: {
  capacity: number
  seconds: number
  normalMs: number
  idleRss: number
  overload: MergedLoad
  host: { maxRss: number; cpuShare: number }
}): Record<string, number | null> {
  const { overload, seconds } = run
  const recovery = overload.recovery
  const probes = recovery ? new LatencyHistogram().merge(recovery.probes) : new LatencyHistogram()
  const shed = overload.statuses['503'] ?? 0
  const other = Object.entries(overload.statuses)
    .filter(([status]) => !/^2\d\d$/.test(status) && status !== '503')
    .reduce((n, [, count]) => n + count, 0)
  return {
    overload_saturation_per_s: Math.round(run.capacity),
    overload_offered_per_s: Math.round(overload.scheduled / seconds),
    overload_delivered_per_s: Math.round(overload.sent / seconds),
    overload_unsent_ratio: round(overload.unsent / Math.max(1, overload.scheduled), 3),
    overload_accepted_per_s: Math.round(overload.ok.count / seconds),
    overload_shed_per_s: Math.round(shed / seconds),
    overload_other_responses: other,
    overload_accepted_p50_ms: round(overload.ok.percentile(50)),
    overload_accepted_p99_ms: round(overload.ok.percentile(99)),
    overload_accepted_p99_from_intended_ms: round(overload.okFromIntended.percentile(99)),
    overload_accepted_max_ms: round(overload.ok.max()),
    overload_shed_p99_ms: round(overload.shed.percentile(99)),
    overload_normal_p99_ms: round(run.normalMs),
    overload_max_rss_mb: round(run.host.maxRss),
    overload_idle_rss_mb: round(run.idleRss),
    overload_rss_ratio: round(run.host.maxRss / run.idleRss),
    overload_recovery_ms: recovery?.recoveredMs === undefined ? null : round(recovery.recoveredMs),
    overload_first_accepted_after_ms:
      recovery?.firstOkMs === undefined ? null : round(recovery.firstOkMs),
    overload_after_p99_ms: round(probes.percentile(99)),
    overload_drain_ms: round(overload.drainMs),
    overload_host_cpu_cores: round(run.host.cpuShare),
    overload_generator_cpu_cores: round(overload.cpuSeconds / seconds),
    overload_generator_lag_p99_ms: round(overload.loopLag.percentile(99)),
    overload_generator_lag_max_ms: round(overload.loopLag.max()),
  }
}

function overloadSummary(f: Record<string, number | null>, overload: MergedLoad): string {
  const series = overload.perSecond.ok
    .map((ok, i) => `${overload.perSecond.sent[i] ?? 0}/${ok}/${overload.perSecond.shed[i] ?? 0}`)
    .join(' ')
  return [
    `overload: offered ${f.overload_offered_per_s} req/s (3x ${f.overload_saturation_per_s}), delivered ${f.overload_delivered_per_s} req/s by ${overload.processes} generator processes (${f.overload_generator_cpu_cores} cores; unsent ${f.overload_unsent_ratio}); host used ${f.overload_host_cpu_cores} cores`,
    `  accepted ${f.overload_accepted_per_s}/s: p50 ${f.overload_accepted_p50_ms} ms, p99 ${f.overload_accepted_p99_ms} ms, max ${f.overload_accepted_max_ms} ms (normal p99 ${f.overload_normal_p99_ms} ms); shed ${f.overload_shed_per_s}/s with 503 (p99 ${f.overload_shed_p99_ms} ms); other responses ${f.overload_other_responses}`,
    `  from the intended send time: accepted p99 ${f.overload_accepted_p99_from_intended_ms} ms; the generators' own loop lag p99 ${f.overload_generator_lag_p99_ms} ms, max ${f.overload_generator_lag_max_ms} ms`,
    `  host RSS idle ${f.overload_idle_rss_mb} MiB, peak ${f.overload_max_rss_mb} MiB (${f.overload_rss_ratio}x)`,
    `  recovery: first accepted request within normal latency ${f.overload_recovery_ms} ms after the load stopped (first accepted at all ${f.overload_first_accepted_after_ms} ms; outstanding load answered within ${f.overload_drain_ms} ms); probe p99 over the next second ${f.overload_after_p99_ms} ms`,
    `  per second sent/accepted/shed: ${series}`,
  ].join('\n')
}

function gcSummary(heaps: HeapPauses[], seconds: number): string {
  const rows = heaps.map(
    (h) =>
      `${h.heap}: ${h.pauses} pauses, ${round(h.totalMs)} ms in all (${round(h.totalMs / seconds / 10, 2)} % of the run), max ${round(h.maxMs)} ms`,
  )
  return `  host GC pauses during the overload, per heap (JavaScriptCore logGC): ${rows.join('; ') || 'none logged'}`
}
