/**
 * Runs the overload bench's load generators (bench/faults/load-generator-main.ts),
 * each in its own process, started together, and merges what they measured:
 * the offered rate and connections are split evenly between `processes`
 * generators; latencies stay per status (2xx accepted, 503 shed), exactly
 * merged from each generator's histogram.
 */
import { join } from 'node:path'
import { LatencyHistogram, type LatencyHistogramJson } from './latency-histogram.ts'

const MAIN = join(import.meta.dir, 'load-generator-main.ts')

export type LoadGeneratorConfig = {
  mode: 'open' | 'closed'
  hostname: string
  port: number
  path: string
  body: string
  connections: number
  /** Open mode: requests per second offered. */
  rate: number
  seconds: number
  /** Closed mode: seconds before responses are counted. */
  warmupSeconds: number
  /** Open mode: after the load, probe for `forMs`; recovered at the first 2xx within `normalMs`. */
  probe?: { forMs: number; normalMs: number } | undefined
}

export type LoadGeneratorResult = {
  scheduled: number
  sent: number
  unsent: number
  statuses: Record<string, number>
  ok: LatencyHistogramJson
  /** Open mode: accepted latencies from when the schedule meant each request to be sent. */
  okFromIntended: LatencyHistogramJson
  shed: LatencyHistogramJson
  /** Open mode: how late the generator's own event loop ran (1 ms timer overshoot), per turn. */
  loopLag: LatencyHistogramJson
  perSecond: { sent: number[]; ok: number[]; shed: number[] }
  /** Time from the end of the load until every outstanding request was answered. */
  drainMs: number
  cpuSeconds: number
  recovery?:
    | {
        recoveredMs?: number | undefined
        firstOkMs?: number | undefined
        shed: number
        probes: LatencyHistogramJson
      }
    | undefined
}

export type MergedLoad = Omit<
  LoadGeneratorResult,
  'ok' | 'okFromIntended' | 'shed' | 'loopLag' | 'perSecond' | 'recovery'
> & {
  ok: LatencyHistogram
  okFromIntended: LatencyHistogram
  shed: LatencyHistogram
  loopLag: LatencyHistogram
  perSecond: { sent: number[]; ok: number[]; shed: number[] }
  recovery: LoadGeneratorResult['recovery']
  processes: number
}

/** Starts `processes` generators with `config` split between them; resolves when all are done. */
export async function runLoadGenerators(
  config: LoadGeneratorConfig,
  processes = 1,
): Promise<MergedLoad> {
  const children = Array.from({ length: processes }, (_, i) => {
    const part: LoadGeneratorConfig = {
      ...config,
      connections: Math.max(1, Math.round(config.connections / processes)),
      rate: config.rate / processes,
      probe: i === 0 ? config.probe : undefined,
    }
    return Bun.spawn([process.execPath, MAIN, JSON.stringify(part)], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'inherit',
    })
  })
  const lines = children.map((child) => lineReader(child.stdout))
  for (const next of lines) {
    const line = await next()
    if (line !== 'ready') throw new Error(`load generator did not start: ${line}`)
  }
  for (const child of children) {
    child.stdin.write('go\n')
    await child.stdin.flush()
  }
  // A generator that has not finished well after its run is killed, so a bench never hangs.
  const limitMs = (config.warmupSeconds + config.seconds + 40) * 1000
  const killer = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL')
  }, limitMs)
  try {
    const results = await Promise.all(
      lines.map(async (next, i) => {
        const line = await next()
        if (!line.startsWith('{')) {
          throw new Error(
            `load generator ${i} ended without a result (killed after ${limitMs} ms?)`,
          )
        }
        return JSON.parse(line) as LoadGeneratorResult
      }),
    )
    await Promise.all(children.map((child) => child.exited))
    return merge(results)
  } finally {
    clearTimeout(killer)
  }
}

function lineReader(stream: ReadableStream<Uint8Array>): () => Promise<string> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return async () => {
    for (;;) {
      const newline = buffer.indexOf('\n')
      if (newline >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        return line
      }
      const { value, done } = await reader.read()
      if (done) return buffer
      buffer += decoder.decode(value, { stream: true })
    }
  }
}

function addSeries(into: number[], from: number[]): void {
  from.forEach((n, i) => {
    into[i] = (into[i] ?? 0) + (n ?? 0)
  })
}

function merge(results: LoadGeneratorResult[]): MergedLoad {
  const merged: MergedLoad = {
    scheduled: 0,
    sent: 0,
    unsent: 0,
    statuses: {},
    ok: new LatencyHistogram(),
    okFromIntended: new LatencyHistogram(),
    shed: new LatencyHistogram(),
    loopLag: new LatencyHistogram(),
    perSecond: { sent: [], ok: [], shed: [] },
    drainMs: 0,
    cpuSeconds: 0,
    recovery: results[0]?.recovery,
    processes: results.length,
  }
  for (const r of results) {
    merged.scheduled += r.scheduled
    merged.sent += r.sent
    merged.unsent += r.unsent
    for (const [status, n] of Object.entries(r.statuses)) {
      merged.statuses[status] = (merged.statuses[status] ?? 0) + n
    }
    merged.ok.merge(r.ok)
    merged.okFromIntended.merge(r.okFromIntended)
    merged.shed.merge(r.shed)
    merged.loopLag.merge(r.loopLag)
    addSeries(merged.perSecond.sent, r.perSecond.sent)
    addSeries(merged.perSecond.ok, r.perSecond.ok)
    addSeries(merged.perSecond.shed, r.perSecond.shed)
    merged.drainMs = Math.max(merged.drainMs, r.drainMs)
    merged.cpuSeconds += r.cpuSeconds
  }
  return merged
}
