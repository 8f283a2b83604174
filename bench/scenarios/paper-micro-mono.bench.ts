/**
 * `bun run bench paper-micro-mono [--json] [--quick] [--edge-cap PCT]`:
 * Figures 8 and 9 of the BlendSPS paper on vigil (method in
 * bench/paper/micro-mono-experiment.ts). One fog host and four edge host
 * processes; Micro = five service actors × four replicas, its clients spread
 * over the four edge gateways; Mono = the same handlers in one actor on edge-1,
 * its clients at edge-1's gateway. Two configurations:
 * - edge profile: every edge host capped to `--edge-cap` % of one core, each in
 *   its own cgroup
 *   (default 24, the Pi 3 B+ calibration of docs/experiments.md), so capacity
 *   grows with hosts as on the paper's Pis; the dropout runs (0, 10, 20, 30 %
 *   of replicas; actor workers and whole hosts separately) run here;
 * - uncapped: the same on the bare 2-core machine (skipped with --quick).
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { round } from '../harness/stats.ts'
import { writeResults } from '../harness/write-results.ts'
import {
  analyseDropout,
  type DropoutKind,
  type DropoutResult,
  dropoutRun,
  orderReplicas,
  type Step,
  stepToSaturation,
} from '../paper/micro-mono-experiment.ts'
import { PAPER } from '../paper/paper-anchors.ts'
import {
  microActors,
  monoActor,
  restoreHosts,
  startPaperDomain,
  waitForReplicas,
} from '../paper/paper-domain.ts'
import { numberOption, paperOptions, progressLog } from '../paper/paper-options.ts'
import { barPlot, linePlot } from '../paper/paper-plots.ts'

const EDGES = ['edge-1', 'edge-2', 'edge-3', 'edge-4']
type Log = (text: string) => void

async function startMicroMono(capPercent: number | undefined, quick: boolean) {
  return await startPaperDomain({
    edges: 4,
    actors: [...microActors('edge', 4), monoActor('mono-service', 'edge', { mono: 'yes' })],
    edgeCapPercent: capPercent,
    ready: { 'mono-service': 'fog-1' },
    replicasOn: EDGES,
    // Warm every worker's JIT with the mix, uncapped (not measured): JIT compilation charged to a
    // capped host showed as JITWorker threads using ~3.5 % of a core in the first capped steps.
    // Micro's requests are spread over 20 workers, so it gets more requests for the same per
    // worker warm-up as Mono's one worker (~75 each with --quick, ~300 without).
    beforeCap: async (paper) => {
      await stepToSaturation(() => {}, paper, 'micro', 1500, quick ? 1 : 4, 1)
      await stepToSaturation(() => {}, paper, 'mono', 1000, quick ? 0.5 : 2, 1)
    },
  })
}

/**
 * Between two dropout runs (not measured): the caps lifted while killed hosts restart, dropped
 * replicas start again or crashed workers reload, a short warm-up so a restarted worker's JIT is
 * not what the next run measures, then the caps back.
 */
async function recover(paper: Awaited<ReturnType<typeof startMicroMono>>, result: DropoutResult) {
  for (const cap of paper.caps.values()) cap.limit(false)
  try {
    const killed = result.killed.map((k) => k.split('/') as [string, string])
    if (result.kind === 'hosts') await restoreHosts(paper, result.killed, EDGES)
    else {
      if (result.kind === 'actors') orderReplicas(paper, 'restore', killed)
      await waitForReplicas(paper, EDGES)
    }
    await stepToSaturation(() => {}, paper, 'micro', 200, 1, 1)
  } finally {
    for (const cap of paper.caps.values()) cap.limit(true)
  }
}

/** The dropout runs on an edge-profile domain at the Micro saturation rate. */
async function dropouts(
  log: Log,
  paper: Awaited<ReturnType<typeof startMicroMono>>,
  rate: number,
  quick: boolean,
) {
  const seconds = quick ? 2 : 6
  const killAtS = quick ? 0.7 : 2.5
  // Host kills last: the last run needs no restore.
  const plan: [DropoutKind, number][] = quick
    ? [
        ['actors', 30],
        ['hosts', 30],
      ]
    : [
        ['none', 0],
        ['actors', 10],
        ['actors', 20],
        ['actors', 30],
        ['restarts', 30],
        ['hosts', 10],
        ['hosts', 20],
        ['hosts', 30],
      ]
  const results: DropoutResult[] = []
  let firstId = 0
  for (const [index, [kind, pct]] of plan.entries()) {
    const options = { kind, pct, rate, seconds, killAtS, firstId }
    const result = analyseDropout(await dropoutRun(paper, options), options)
    firstId += Math.ceil(rate * seconds) + 1
    results.push(result)
    log(
      `dropout ${kind} ${pct} % (killed ${result.killed_pct} %: ${result.killed.join(' ') || 'none'}) at ${rate}/s: served ${result.served_before}/s before, ${result.served_after}/s after; recovery ${round(result.recovery_ms, 0)} ms; acknowledged ${result.acknowledged}, lost ${result.acknowledged_lost}, failed ${result.failed} ${JSON.stringify(result.codes)}, unanswered ${result.unanswered}, failed over ${result.failovers}`,
    )
    if (index === plan.length - 1) break
    await recover(paper, result)
  }
  return results
}

/** One configuration: steps for Micro and Mono, then (edge profile) the dropout runs. */
async function runConfiguration(
  log: Log,
  name: string,
  capPercent: number | undefined,
  quick: boolean,
) {
  log(
    `${name}: starting fog-1 and four edge hosts${capPercent ? ` capped at ${capPercent} % of a core each` : ''}…`,
  )
  const paper = await startMicroMono(capPercent, quick)
  try {
    if (paper.cap) log(`  edge profile: ${paper.cap.description}`)
    const seconds = quick ? 1 : 2.5
    // --quick: four steps that still reach both saturations (400 → 3,200 req/s on the edge profile).
    const start = capPercent ? (quick ? 400 : 50) : 1000
    const steps: (Step & { configuration: string })[] = []
    for (const deployment of ['micro', 'mono'] as const) {
      const found = await stepToSaturation(
        (t) => log(`  ${name} ${t}`),
        paper,
        deployment,
        start,
        seconds,
        quick ? 4 : 9,
      )
      steps.push(...found.map((s) => ({ ...s, configuration: name })))
    }
    const best = (d: string) =>
      Math.max(...steps.filter((s) => s.deployment === d).map((s) => s.served))
    const runs = capPercent ? await dropouts((t) => log(`  ${t}`), paper, best('micro'), quick) : []
    return {
      name,
      capPercent,
      steps,
      micro: best('micro'),
      mono: best('mono'),
      dropouts: runs,
      cap: paper.cap?.description,
    }
  } finally {
    await paper.stop()
  }
}

type Configuration = Awaited<ReturnType<typeof runConfiguration>>

function microMonoFigures(configs: readonly Configuration[]) {
  const capped = configs.find((c) => c.capPercent) as Configuration
  const bare = configs.find((c) => !c.capPercent) ?? capped
  // The paper's dropout (replicas or hosts out for the run); `restarts` is reported beside it.
  const at30 = capped.dropouts.filter((d) => d.requested_pct === 30 && d.kind !== 'restarts')
  const restarts30 = capped.dropouts.find((d) => d.kind === 'restarts')
  // The 0 % level: its own run, or (--quick) the 30 % runs' rate before their kill.
  const none = capped.dropouts.find((d) => d.kind === 'none')
  const zeroLevel =
    none?.served_after ?? Math.round(at30.reduce((s, d) => s + d.served_before, 0) / at30.length)
  const worst30 = Math.min(...at30.map((d) => d.served_after))
  return {
    micro_req_per_s: bare.micro,
    mono_req_per_s: bare.mono,
    micro_over_mono: round(bare.micro / bare.mono, 2),
    micro_req_per_s_edge_profile: capped.micro,
    mono_req_per_s_edge_profile: capped.mono,
    micro_over_mono_edge_profile: round(capped.micro / capped.mono, 2),
    micro_req_per_s_dropout_0: zeroLevel,
    micro_req_per_s_dropout_30: worst30,
    dropout_30_ratio: round(worst30 / zeroLevel, 2),
    micro_req_per_s_restarts_30: restarts30?.served_after ?? null,
    restarts_30_ratio: restarts30 ? round(restarts30.served_after / zeroLevel, 2) : null,
    acknowledged_lost: capped.dropouts.reduce((sum, d) => sum + d.acknowledged_lost, 0),
    dropout_failed: capped.dropouts.reduce((sum, d) => sum + d.failed + d.unanswered, 0),
    recovery_ms_dropout_30: round(Math.max(...at30.map((d) => d.recovery_ms)), 0),
    edge_cap: capped.cap,
    micro_ratio_vs_paper: round(bare.micro / PAPER.microReqPerS, 0),
    mono_ratio_vs_paper: round(bare.mono / PAPER.monoReqPerS, 0),
  }
}

const KIND_LABEL: Record<DropoutKind, string> = {
  none: 'none',
  actors: 'replicas dropped (kept out)',
  restarts: 'replicas crashed (restarted)',
  hosts: 'hosts killed',
}

function microMonoPlots(configs: readonly Configuration[]) {
  const steps = configs
    .flatMap((c) => c.steps)
    .map((s) => ({ ...s, line: `${s.deployment} (${s.configuration})` }))
  const capped = configs.find((c) => c.capPercent)
  const bars = (capped?.dropouts ?? []).map((d) => ({
    dropout: `${d.requested_pct} %`,
    kind: KIND_LABEL[d.kind],
    served: d.served_after,
  }))
  const timeline = (capped?.dropouts ?? [])
    .filter((d) => d.requested_pct === 30 || d.kind === 'none')
    .flatMap((d) =>
      d.timeline.map((perS, i) => ({ t: i / 10, perS, run: `${d.kind} ${d.requested_pct} %` })),
    )
  return {
    'fig8-latency-vs-load': linePlot({
      title: 'Micro vs Mono: p99 latency vs offered load',
      rows: steps,
      x: { field: 'offered', title: 'offered load (req/s, log)', log: true },
      y: { field: 'p99_ms', title: 'p99 latency (ms, log)', log: true },
      series: 'line',
    }),
    'fig8-throughput-vs-load': linePlot({
      title: 'Micro vs Mono: served vs offered load',
      rows: steps,
      x: { field: 'offered', title: 'offered load (req/s, log)', log: true },
      y: { field: 'served', title: 'served (req/s, log)', log: true },
      series: 'line',
    }),
    'fig9-dropout-throughput': barPlot({
      title: 'Micro (edge profile): throughput after dropout',
      rows: bars,
      x: { field: 'dropout', title: 'replicas killed (requested)' },
      y: { field: 'served', title: 'served after the kill (req/s)' },
      group: 'kind',
    }),
    'fig9-dropout-timeline': linePlot({
      title: 'Acknowledged req/s over a dropout run (kill at the dip)',
      rows: timeline,
      x: { field: 't', title: 'time (s)' },
      y: { field: 'perS', title: 'acknowledged (req/s, 100 ms bins)' },
      series: 'run',
    }),
  }
}

export const scenario: BenchScenario = {
  name: 'paper-micro-mono',
  description:
    'paper Figs. 8–9: Micro (replicated service actors on 4 edge hosts) vs Mono, stepped load, dropout',
  async run({ log, args }) {
    const options = paperOptions(args)
    const progress = progressLog(log)
    const cap = numberOption(args, 'edge-cap', 24)
    const configs = [await runConfiguration(progress, 'edge profile', cap, options.quick)]
    if (!options.quick) configs.push(await runConfiguration(progress, 'uncapped', undefined, false))
    const figures = microMonoFigures(configs)
    progress(
      `Micro ${figures.micro_req_per_s}/s vs Mono ${figures.mono_req_per_s}/s (${figures.micro_over_mono}×); edge profile ${figures.micro_req_per_s_edge_profile} vs ${figures.mono_req_per_s_edge_profile} (${figures.micro_over_mono_edge_profile}×); 30 % dropout ${figures.micro_req_per_s_dropout_30}/s (${figures.dropout_30_ratio}× of 0 %), recovery ${figures.recovery_ms_dropout_30} ms, acknowledged lost ${figures.acknowledged_lost}`,
    )
    const written = await writeResults(
      'paper-micro-mono',
      { configs, figures },
      microMonoPlots(configs),
    )
    progress(`wrote ${written.json}`)
    return { ...figures, results: written }
  },
}
