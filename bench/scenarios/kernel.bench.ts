/**
 * `bun run bench kernel [--json]`: the actor kernel against raw Bun workers,
 * in one run.
 *
 * - raw_msgs_per_s: two plain workers joined by a MessageChannel; one sends N
 *   messages (one postMessage each), the other echoes each back.
 * - actor_msgs_per_s: the same echo shape between two actors in workers:
 *   a driver actor keeps a window of asks (default 1024, `--window`) to an
 *   echo actor with the kernel's default settings. After
 *   `kernel.directLinkAfter` (64) messages the kernel joins the two workers
 *   with a direct MessageChannel, so in steady state each counted message
 *   crosses 2 postMessage hops (driver → echo → driver, batched), like the
 *   raw echo, instead of 4 through the kernel thread; every message is still
 *   validated against the echo's protocol (in the echo's worker), bounded
 *   (window = dispatch credits, then mailbox capacity), carries its caller,
 *   and falls back to the kernel path on swap/restart/crash. The ratio is
 *   actor ask throughput / raw echo throughput, both request/reply of one
 *   `{ seq }` object per message, in the same run.
 * - kernel_path_msgs_per_s: the same driver with direct links off
 *   (directLinkAfter 0): 4 hops through the kernel thread (validation,
 *   bounded mailbox, batched dispatch, batched replies there).
 *   One-way throughput (tells with a barrier every chunk) is printed too.
 * - rtt_p50_us / rtt_p99_us: sequential asks from the host thread to an actor.
 * - swap_pause_ms_*: hot swaps (v1↔v2) while a window of asks keeps it busy.
 * - restart_ms_p50: from the crash event to the restarted event (handler
 *   throws; the worker is reused). Worker replacement (process.exit; a warm
 *   spare worker imports the actor module and restores it) is printed.
 * Throughputs are medians of `--rounds` (default 5) rounds, each timing raw
 * and actor back to back (alternating which goes first); `ratio` is the
 * median of the rounds' own actor/raw ratios (min and max beside it), because
 * other processes share the machine. Both sides are warmed up first (5,000
 * asks; 5,000 untimed raw echoes on the same workers).
 * Figures use simulateSerialization=false (the throughput setting for a host);
 * the ask throughput with it on is printed for comparison.
 */
import { createActorSystem } from '../../runtime/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { percentile, round } from '../harness/stats.ts'

const here = (file: string) => new URL(`../kernel/${file}`, import.meta.url).href
const echo = { module: here('echo-actor.ts'), export: 'echoActor' }
const echoV2 = { module: here('echo-actor.ts'), export: 'echoActorV2' }
const driver = { module: here('driver-actor.ts'), export: 'driverActor' }

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`)
  const value = index >= 0 ? Number(args[index + 1]) : Number.NaN
  return Number.isFinite(value) ? value : fallback
}

function nextMessage<T>(target: Worker): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener('message', (event) => resolve((event as MessageEvent<T>).data), {
      once: true,
    }),
  )
}

/**
 * Starts counting the process's CPU time (all threads): `seconds()` so far, and `cores()`, its
 * share per wall second. Messages per CPU-second are what load on the machine distorts least.
 */
function cpuMeter() {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const seconds = () => {
    const used = process.cpuUsage(cpu)
    return (used.user + used.system) / 1e6
  }
  return { seconds, cores: () => (seconds() * 1000) / (performance.now() - started) }
}

async function rawEchoThroughput(n: number, warmup = 5000) {
  const echoWorker = new Worker(here('raw-echo-worker.ts'))
  const driverWorker = new Worker(here('raw-echo-worker.ts'))
  try {
    const channel = new MessageChannel()
    const echoReady = nextMessage(echoWorker)
    echoWorker.postMessage({ role: 'echo', port: channel.port1 }, [channel.port1])
    await echoReady
    const done = nextMessage<{ elapsedMs: number }>(driverWorker)
    const meter = cpuMeter()
    driverWorker.postMessage({ role: 'driver', port: channel.port2, n, warmup }, [channel.port2])
    const { elapsedMs } = await done
    // The CPU time covers the untimed warm-up too, so it is counted per message sent in all.
    const perCpuS = (n + warmup) / meter.seconds()
    return { perS: n / (elapsedMs / 1000), cores: meter.cores(), perCpuS }
  } finally {
    echoWorker.terminate()
    driverWorker.terminate()
  }
}

async function rawRoundTripsUs(n: number): Promise<number[]> {
  const worker = new Worker(here('raw-ping-worker.ts'))
  try {
    await nextMessage(worker)
    const samples: number[] = []
    for (let seq = 0; seq < n; seq++) {
      const started = performance.now()
      const reply = nextMessage(worker)
      worker.postMessage({ seq })
      await reply
      samples.push((performance.now() - started) * 1000)
    }
    return samples
  } finally {
    worker.terminate()
  }
}

async function actorThroughput(
  n: number,
  window: number,
  simulateSerialization: boolean,
  directLinkAfter?: number,
) {
  const system = createActorSystem({
    config: {
      simulateSerialization,
      mailboxCapacity: 4096,
      askTimeoutMs: 120_000,
      directLinkAfter,
    },
  })
  try {
    await system.spawn('echo', echo)
    await system.spawn('driver', driver)
    // Warm-up so both workers are compiled before measuring.
    await system.ask('driver', 'driver.asks', { target: 'echo', n: 5000, window })
    const meter = cpuMeter()
    const asks = (await system.ask('driver', 'driver.asks', {
      target: 'echo',
      n,
      window,
    })) as { elapsedMs: number }
    const askCores = meter.cores()
    const askPerCpuS = n / meter.seconds()
    const tells = (await system.ask('driver', 'driver.tells', {
      target: 'echo',
      n,
      chunk: 1000,
    })) as { elapsedMs: number }
    return {
      askPerS: n / (asks.elapsedMs / 1000),
      askCores,
      askPerCpuS,
      tellPerS: n / (tells.elapsedMs / 1000),
    }
  } finally {
    await system.shutdown()
  }
}

async function actorRoundTripsUs(n: number): Promise<number[]> {
  const system = createActorSystem({ config: { simulateSerialization: false } })
  try {
    await system.spawn('echo', echo)
    for (let seq = 0; seq < 500; seq++) await system.ask('echo', 'echo.ping', { seq })
    const samples: number[] = []
    for (let seq = 0; seq < n; seq++) {
      const started = performance.now()
      await system.ask('echo', 'echo.ping', { seq })
      samples.push((performance.now() - started) * 1000)
    }
    return samples
  } finally {
    await system.shutdown()
  }
}

async function swapPausesMs(swaps: number): Promise<number[]> {
  const system = createActorSystem({
    config: { simulateSerialization: false, mailboxCapacity: 4096 },
  })
  try {
    await system.spawn('echo', echo)
    let loading = true
    let answered = 0
    const load = (async () => {
      const window: Promise<unknown>[] = []
      let seq = 0
      while (loading) {
        window.push(system.ask('echo', 'echo.ping', { seq: seq++ }).then(() => answered++))
        if (window.length >= 64) await window.shift()
      }
      await Promise.all(window)
    })()
    const pauses: number[] = []
    for (let i = 0; i < swaps; i++) {
      const result = await system.swap('echo', i % 2 === 0 ? echoV2 : echo)
      pauses.push(result.pauseMs)
    }
    loading = false
    await load
    if (answered === 0) throw new Error('no load ran during the swaps')
    return pauses
  } finally {
    await system.shutdown()
  }
}

async function restartTimesMs(
  crashes: number,
  how: 'echo.crash' | 'echo.exit',
  gapMs: number,
): Promise<number[]> {
  const system = createActorSystem({
    config: { simulateSerialization: false, backoffMinMs: 0, restartIntensity: 10_000 },
  })
  try {
    const crashedAt = new Map<string, number>()
    const samples: number[] = []
    let restarted: (() => void) | undefined
    system.subscribe((event) => {
      if (event.type === 'actor.crashed') crashedAt.set(event.actor, performance.now())
      if (event.type === 'actor.restarted') {
        samples.push(performance.now() - (crashedAt.get(event.actor) ?? Number.NaN))
        restarted?.()
      }
    })
    await system.spawn('echo', echo)
    for (let i = 0; i < crashes; i++) {
      // Crashes come apart in practice; the gap lets the warm spare worker refill.
      if (gapMs > 0) await Bun.sleep(gapMs)
      const { promise, resolve } = Promise.withResolvers<void>()
      restarted = resolve
      await system.ask('echo', how, {}).catch(() => undefined)
      await promise
      await system.ask('echo', 'echo.ping', { seq: i })
    }
    return samples
  } finally {
    await system.shutdown()
  }
}

const fmt = (value: number | undefined) => Math.round(value ?? 0).toLocaleString()
const round2 = (value: number) => round(value, 2)

/** `rounds` rounds of raw and actor echo back to back; throughputs and each round's ratio. */
async function interleavedRounds(
  n: number,
  window: number,
  rounds: number,
  log: (s: string) => void,
) {
  // Other processes share this machine: each round times raw and actor back to back (in
  // alternating order, so neither always runs first) and the ratio is the median of the
  // rounds' own ratios, so a slow spell on the machine moves one round, not the figure.
  const raws: number[] = []
  const asks: number[] = []
  const tells: number[] = []
  const ratios: number[] = []
  const cpuRatios: number[] = []
  for (let r = 1; r <= rounds; r++) {
    const rawFirst = r % 2 === 1
    const rawRun = rawFirst ? await rawEchoThroughput(n) : undefined
    const actor = await actorThroughput(n, window, false)
    const raw = rawRun ?? (await rawEchoThroughput(n))
    raws.push(raw.perS)
    asks.push(actor.askPerS)
    tells.push(actor.tellPerS)
    ratios.push(actor.askPerS / raw.perS)
    cpuRatios.push(actor.askPerCpuS / raw.perCpuS)
    log(
      `round ${r} (${rawFirst ? 'raw first' : 'actor first'}): raw ${fmt(raw.perS)} msg/s (process ${round2(raw.cores)} cores), actor ask ${fmt(actor.askPerS)} msg/s (${round2(actor.askCores)} cores), one-way ${fmt(actor.tellPerS)} msg/s; ratio ${round(ratios.at(-1) ?? 0, 3)}; per CPU-second raw ${fmt(raw.perCpuS)}, actor ${fmt(actor.askPerCpuS)} (ratio ${round(cpuRatios.at(-1) ?? 0, 3)})`,
    )
  }
  return { raws, asks, tells, ratios, cpuRatios }
}

export const scenario: BenchScenario = {
  name: 'kernel',
  description:
    'actor request/reply and one-way throughput vs raw worker postMessage echo; RTT; hot-swap pause; restart time',
  async run({ log, args }) {
    const n = flag(args, 'n', 200_000)
    // Outstanding asks the driver keeps (the raw baseline has all N outstanding).
    const window = flag(args, 'window', 1024)

    const { raws, asks, tells, ratios, cpuRatios } = await interleavedRounds(
      n,
      window,
      flag(args, 'rounds', 5),
      log,
    )
    const raw = percentile(raws, 50)
    const ask = percentile(asks, 50)
    const tell = percentile(tells, 50)
    const ratio = percentile(ratios, 50)
    const kernelPath = await actorThroughput(n, window, false, 0)
    log(
      `actor ask echo through the kernel thread (direct links off): ${fmt(kernelPath.askPerS)} msg/s  (ratio ${round2(kernelPath.askPerS / raw)})`,
    )
    log(`raw postMessage echo, 2 plain workers (median): ${fmt(raw)} msg/s`)
    log(
      `actor ask echo, driver→echo actors (w=${window}, median): ${fmt(ask)} msg/s  (ratio: median of the rounds' ${round(ratio, 3)}, min ${round(Math.min(...ratios), 3)}, max ${round(Math.max(...ratios), 3)}; of the medians ${round(ask / raw, 3)}; per CPU-second, median of the rounds' ${round(percentile(cpuRatios, 50), 3)})`,
    )
    log(
      `actor one-way tells, driver→echo (median): ${fmt(tell)} msg/s  (ratio ${round2(tell / raw)})`,
    )
    const simulated = await actorThroughput(Math.min(n, 50_000), window, true)
    log(`actor ask echo with simulateSerialization: ${fmt(simulated.askPerS)} msg/s`)

    const rawRtt = await rawRoundTripsUs(5000)
    const rtt = await actorRoundTripsUs(5000)
    log(
      `RTT host→actor ask: p50 ${round(percentile(rtt, 50))} µs, p99 ${round(percentile(rtt, 99))} µs; raw host↔worker ping: p50 ${round(percentile(rawRtt, 50))} µs, p99 ${round(percentile(rawRtt, 99))} µs`,
    )

    const pauses = await swapPausesMs(20)
    log(
      `hot-swap pause under load (20 swaps): p50 ${round(percentile(pauses, 50))} ms, max ${round(Math.max(...pauses))} ms`,
    )
    const restarts = await restartTimesMs(20, 'echo.crash', 0)
    const replacements = await restartTimesMs(10, 'echo.exit', 100)
    log(
      `restart after a thrown crash (worker reused): p50 ${round(percentile(restarts, 50))} ms; after worker death (warm spare worker, crashes 100 ms apart): p50 ${round(percentile(replacements, 50))} ms`,
    )

    return {
      actor_msgs_per_s: Math.round(ask),
      raw_msgs_per_s: Math.round(raw),
      ratio: round(ratio, 3),
      ratio_min: round(Math.min(...ratios), 3),
      ratio_max: round(Math.max(...ratios), 3),
      ratio_per_cpu_s: round(percentile(cpuRatios, 50), 3),
      kernel_path_msgs_per_s: Math.round(kernelPath.askPerS),
      rtt_p50_us: round(percentile(rtt, 50)),
      rtt_p99_us: round(percentile(rtt, 99)),
      swap_pause_ms_p50: round(percentile(pauses, 50)),
      swap_pause_ms_max: round(Math.max(...pauses)),
      restart_ms_p50: round(percentile(restarts, 50), 3),
    }
  },
}
