/**
 * Mamdani inference as pure functions: AND = min, OR over a condition's
 * terms = max, implication = min, aggregation = max, centroid defuzzified
 * on a 101-point grid over [0, 1].
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

const grid = Array.from({ length: 101 }, (_, i) => i / 100)
const outputGrids = new WeakMap<FuzzyConfig, Map<string, Float64Array>>()

/** Output term memberships sampled on the grid, computed once per config. */
function outputGrid(config: FuzzyConfig): Map<string, Float64Array> {
  let grids = outputGrids.get(config)
  if (!grids) {
    grids = new Map(
      Object.entries(config.output.terms).map(([name, term]) => [
        name,
        Float64Array.from(grid, (y) => membership(y, term)),
      ]),
    )
    outputGrids.set(config, grids)
  }
  return grids
}

export type FuzzyResult = { suspicion: number; strengths: Record<string, number> }

/** Evaluates the rules for one set of crisp inputs; suspicion 0 when no rule fires. */
export function inferSuspicion(
  config: FuzzyConfig,
  inputs: Readonly<Record<string, number>>,
): FuzzyResult {
  const strengths: Record<string, number> = {}
  for (const rule of config.rules) {
    let strength = 1
    for (const c of rule.when) {
      const terms = config.inputs[c.input]?.terms ?? {}
      const x = inputs[c.input] ?? 0
      const degree = Math.max(...[c.is].flat().map((t) => membership(x, terms[t] as Term)))
      strength = Math.min(strength, degree)
    }
    strengths[rule.conclude] = Math.max(strengths[rule.conclude] ?? 0, strength)
  }
  const grids = outputGrid(config)
  const fired = Object.entries(strengths).filter(([, v]) => v > 0)
  let num = 0
  let den = 0
  for (let i = 0; i < grid.length; i++) {
    let mu = 0
    for (const [name, v] of fired)
      mu = Math.max(mu, Math.min(v, (grids.get(name) as Float64Array)[i] as number))
    num += (grid[i] as number) * mu
    den += mu
  }
  return { suspicion: den > 0 ? num / den : 0, strengths }
}
