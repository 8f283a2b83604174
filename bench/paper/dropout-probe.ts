/**
 * A measuring probe for the dropout runs (not a benchmark scenario, not a test):
 * `bun bench/paper/dropout-probe.ts <rate> '<plan>'`, plan a JSON list of
 * [kind, pct] (kind none, actors or restarts; host kills need restoreHosts, not done here),
 * e.g. `1500 '[["none",0],["actors",30],["restarts",30]]'`. Starts the
 * paper-micro-mono domain on the edge profile (4 × 24 %), runs each dropout
 * at `rate` for 6 s with the kill at 2.5 s and prints, to stderr, with the
 * load average: the before/after rates and failures, each host's CPU every
 * 0.5 s, the CPU of every thread that appeared during the run (new workers:
 * restarts and spare refills, from /proc/<pid>/task) and the crash/restart
 * events the hosts logged, timed from the kill. docs/experiments.md
 * ("Dropout: where the throughput went") reports what it measured.
 */
import { execSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cpuSeconds } from '../harness/process-usage.ts'
import {
  analyseDropout,
  type DropoutKind,
  dropoutRun,
  orderReplicas,
  stepToSaturation,
} from './micro-mono-experiment.ts'
import { microActors, monoActor, startPaperDomain, waitForReplicas } from './paper-domain.ts'

function tasks(pid: number) {
  const out = new Map<string, { cpu: number; name: string }>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
        const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'))
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
        out.set(tid, { cpu: (Number(f[11]) + Number(f[12])) / 100, name })
      } catch {}
    }
  } catch {}
  return out
}

const EDGES = ['edge-1', 'edge-2', 'edge-3', 'edge-4']
const log = (t: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${t}`)
const up = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/.*load/, 'load')
const rate = Number(process.argv[2] ?? 1200)
const plan = JSON.parse(process.argv[3] ?? '[["none",0],["actors",30]]') as [DropoutKind, number][]
const paper = await startPaperDomain({
  edges: 4,
  actors: [...microActors('edge', 4), monoActor('mono-service', 'edge', { mono: 'yes' })],
  edgeCapPercent: 24,
  ready: { 'mono-service': 'fog-1' },
  replicasOn: EDGES,
  beforeCap: async (p) => {
    await stepToSaturation(() => {}, p, 'micro', 1500, 2, 1)
  },
})
try {
  let firstId = 0
  for (const [kind, pct] of plan) {
    const seconds = 6,
      killAtS = 2.5
    const samples: { at: number; cpu: Record<string, number> }[] = []
    const timer = setInterval(() => {
      const cpu: Record<string, number> = {}
      for (const [id, h] of paper.domain.hosts) cpu[id] = cpuSeconds(h.process.pid)
      samples.push({ at: performance.timeOrigin + performance.now(), cpu })
    }, 500)
    const lc0 = paper.lifecycle.length
    const before = new Map([...paper.domain.hosts].map(([id, h]) => [id, tasks(h.process.pid)]))
    const options = { kind, pct, rate, seconds, killAtS, firstId }
    const run = await dropoutRun(paper, options)
    clearInterval(timer)
    firstId += Math.ceil(rate * seconds) + 1
    const r = analyseDropout(run, options)
    log(
      `${up()} | ${kind} ${pct}: before ${r.served_before} after ${r.served_after} ratio ${(r.served_after / r.served_before).toFixed(2)} failed ${r.failed} ${JSON.stringify(r.codes)} unanswered ${r.unanswered} lost ${r.acknowledged_lost}`,
    )
    for (const [id, h] of paper.domain.hosts) {
      const now = tasks(h.process.pid)
      const old = before.get(id)!
      let fresh = 0,
        freshN = 0,
        oldCpu = 0
      const names: string[] = []
      for (const [tid, t] of now) {
        const o = old.get(tid)
        if (!o) {
          fresh += t.cpu
          freshN++
          names.push(`${t.name}:${t.cpu.toFixed(2)}`)
        } else oldCpu += t.cpu - o.cpu
      }
      log(
        `  ${id}: new threads ${freshN} cpu ${fresh.toFixed(2)} s [${names.join(' ')}]; existing threads ${oldCpu.toFixed(2)} s`,
      )
    }
    for (const e of paper.lifecycle.slice(lc0))
      log(`  +${((e.at - run.killedAt) / 1000).toFixed(2)} s ${e.host} ${e.type} ${e.actor}`)
    const rows = samples.slice(1).map((s, i) => {
      const prev = samples[i]!
      const dt = (s.at - prev.at) / 1000
      return (
        `${((s.at - run.killedAt) / 1000).toFixed(1).padStart(5)} ` +
        Object.keys(s.cpu)
          .map((k) => `${k} ${Math.round((100 * (s.cpu[k]! - prev.cpu[k]!)) / dt)}`.padEnd(11))
          .join(' ')
      )
    })
    for (const row of rows) log(`  cpu% ${row}`)
    log(`  timeline ${r.timeline.join(' ')}`)
    for (const cap of paper.caps.values()) cap.limit(false)
    if (kind === 'actors')
      orderReplicas(
        paper,
        'restore',
        r.killed.map((k) => k.split('/') as [string, string]),
      )
    await waitForReplicas(paper, EDGES)
    await stepToSaturation(() => {}, paper, 'micro', 200, 1, 1)
    for (const cap of paper.caps.values()) cap.limit(true)
  }
} finally {
  await paper.stop()
}
process.exit(0)
