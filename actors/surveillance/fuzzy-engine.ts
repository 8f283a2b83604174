/**
 * Mamdani inference as pure functions: AND = min, OR over a condition's
 * terms = max, implication = min, aggregation = max, centroid defuzzified
 * on a 101-point grid over [0, 1]. A config is compiled once into flat arrays
 * (rules as input indexes and term corners, output terms sampled on the
 * grid), so a decision allocates nothing but its result.
 */
import type { FuzzyConfig } from './fuzzy-config.ts'

type Term = { type: 'trap' | 'tri'; points: number[] }

/** Membership of x in a trapezoid (a, b, c, d); shoulders where a = b or c = d. */
export function trap(x: number, a: number, b: number, c: number, d: number): number {
  if (x < a || x > d) return 0
  if (x < b) return (x - a) / (b - a)
  if (x <= c) return 1
  return d === c ? 1 : (d - x) / (d - c)
}

/** Membership of x in a triangle (a, b, c). */
export function tri(x: number, a: number, b: number, c: number): number {
  return trap(x, a, b, b, c)
}

/** Membership of x in a configured term. */
export function membership(x: number, term: Term): number {
  const [a, b, c, d] = term.points as [number, number, number, number]
  return term.type === 'trap' ? trap(x, a, b, c, d) : tri(x, a, b, c)
}

const GRID = 101
const grid = Float64Array.from({ length: GRID }, (_, i) => i / (GRID - 1))

/** A config compiled to flat arrays once, so inference allocates only its result. */
type Compiled = {
  inputs: string[]
  /** Per rule: conclusion index, then per condition its input index and term corner points. */
  rules: { out: number; conds: { input: number; terms: Float64Array[] }[] }[]
  outputs: string[]
  /** Output term memberships sampled on the grid, one row per output term. */
  outputGrids: Float64Array[]
  /** Output terms some rule concludes (reported in `strengths`, even at 0). */
  concluded: boolean[]
  strengths: Float64Array
  values: Float64Array
}
const compiled = new WeakMap<FuzzyConfig, Compiled>()

const corners = (term: Term) => {
  const [a, b, c, d] = term.points as [number, number, number, number]
  return Float64Array.of(a, b, term.type === 'trap' ? c : b, term.type === 'trap' ? d : c)
}

function compile(config: FuzzyConfig): Compiled {
  let out = compiled.get(config)
  if (out) return out
  const inputs = Object.keys(config.inputs)
  const outputs = Object.keys(config.output.terms)
  out = {
    inputs,
    outputs,
    rules: config.rules.map((rule) => ({
      out: outputs.indexOf(rule.conclude),
      conds: rule.when.map((c) => ({
        input: inputs.indexOf(c.input),
        terms: [c.is].flat().map((t) => corners(config.inputs[c.input]?.terms[t] as Term)),
      })),
    })),
    outputGrids: outputs.map((name) =>
      Float64Array.from(grid, (y) => membership(y, config.output.terms[name] as Term)),
    ),
    concluded: outputs.map((name) => config.rules.some((r) => r.conclude === name)),
    strengths: new Float64Array(outputs.length),
    values: new Float64Array(inputs.length),
  }
  compiled.set(config, out)
  return out
}

export type FuzzyResult = { suspicion: number; strengths: Record<string, number> }

function ruleStrengths(c: Compiled): void {
  c.strengths.fill(0)
  for (const rule of c.rules) {
    let strength = 1
    for (const cond of rule.conds) {
      const x = c.values[cond.input] as number
      let degree = 0
      for (const t of cond.terms) {
        const m = trap(x, t[0] as number, t[1] as number, t[2] as number, t[3] as number)
        if (m > degree) degree = m
      }
      if (degree < strength) strength = degree
    }
    if (strength > (c.strengths[rule.out] as number)) c.strengths[rule.out] = strength
  }
}

function centroid(c: Compiled): number {
  let num = 0
  let den = 0
  for (let i = 0; i < GRID; i++) {
    let mu = 0
    for (let o = 0; o < c.outputs.length; o++) {
      const v = c.strengths[o] as number
      if (v === 0) continue
      const g = (c.outputGrids[o] as Float64Array)[i] as number
      const m = Math.min(v, g)
      if (m > mu) mu = m
    }
    num += (grid[i] as number) * mu
    den += mu
  }
  return den > 0 ? num / den : 0
}

/** Evaluates the rules for one set of crisp inputs; suspicion 0 when no rule fires. */
export function inferSuspicion(
  config: FuzzyConfig,
  inputs: Readonly<Record<string, number>>,
): FuzzyResult {
  const c = compile(config)
  for (let i = 0; i < c.inputs.length; i++) c.values[i] = inputs[c.inputs[i] as string] ?? 0
  ruleStrengths(c)
  const strengths: Record<string, number> = {}
  for (let o = 0; o < c.outputs.length; o++) {
    if (c.concluded[o]) strengths[c.outputs[o] as string] = c.strengths[o] as number
  }
  return { suspicion: centroid(c), strengths }
}
