/**
 * `bun run bench paper [--json] [--quick] [--n N]`: every experiment of the
 * BlendSPS paper's §6 on vigil, one after another (paper-services, paper-rate,
 * paper-micro-mono, paper-commit, paper-resources), each writing its raw series
 * and SVG plots to bench/results/<scenario>/. Returns the headline figures
 * (see docs/experiments.md) and each scenario's own figures under its name.
 * --quick is the smoke run `npm test` makes (≤ ~60 s).
 */
import type { BenchContext, BenchScenario } from '../harness/bench-scenario.ts'
import { scenario as commit } from './paper-commit.bench.ts'
import { scenario as microMono } from './paper-micro-mono.bench.ts'
import { scenario as rate } from './paper-rate.bench.ts'
import { scenario as resources } from './paper-resources.bench.ts'
import { scenario as services } from './paper-services.bench.ts'

export const HEADLINE = [
  'micro_req_per_s',
  'mono_req_per_s',
  'micro_req_per_s_dropout_30',
  'acknowledged_lost',
  'recovery_ms_dropout_30',
  'identity_p99_ms_at_100',
  'saturation_req_per_s',
  'cometbft_commit_p50_ms',
  'eth_commit_p50_ms',
  'edge_profile_identity_ms_p50',
] as const

const PARTS: BenchScenario[] = [services, rate, microMono, commit, resources]

export const scenario: BenchScenario = {
  name: 'paper',
  description: 'every experiment of the BlendSPS paper (Figs. 6–10, Table 2), with plots',
  async run(context: BenchContext) {
    const started = performance.now()
    const parts: Record<string, Record<string, unknown>> = {}
    for (const part of PARTS) {
      context.log(`\n## ${part.name}: ${part.description}`)
      parts[part.name] = await part.run(context)
    }
    const merged = Object.assign({}, ...Object.values(parts)) as Record<string, unknown>
    const headline = Object.fromEntries(HEADLINE.map((field) => [field, merged[field] ?? null]))
    const svgs = Object.values(parts).flatMap((figures) =>
      Object.values((figures.results as { svgs?: Record<string, string> } | undefined)?.svgs ?? {}),
    )
    return {
      ...headline,
      elapsed_s: Math.round((performance.now() - started) / 100) / 10,
      svgs,
      parts,
    }
  },
}
