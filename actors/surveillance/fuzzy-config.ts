/**
 * The fuzzy decision config (I-SAFE-inspired, our own design; the I-SAFE
 * paper's membership functions and rules were not available to us):
 * inputs with trapezoid/triangle terms, the `suspicion` output, Mamdani
 * rules and the alert hysteresis. `parseFuzzyConfig` validates everything
 * and lists all problems in one SurveilInvalidConfigError.
 */
import { z } from 'zod'
import { SurveilInvalidConfigError } from './errors.ts'

const big = 1e9
const term = z
  .object({ type: z.enum(['trap', 'tri']), points: z.array(z.number()) })
  .refine(
    (t) => t.points.length === (t.type === 'trap' ? 4 : 3),
    'trap needs 4 points, tri needs 3',
  )
  .refine(
    (t) => t.points.every((p, i) => i === 0 || p >= (t.points[i - 1] as number)),
    'points must be non-decreasing',
  )
const variable = z.object({ terms: z.record(z.string(), term) })
const condition = z.object({
  input: z.string(),
  is: z.union([z.string(), z.array(z.string()).min(1)]),
})
const rule = z.object({ when: z.array(condition).min(1), conclude: z.string() })

export const fuzzyConfigSchema = z.object({
  inputs: z.record(z.string(), variable),
  output: variable,
  rules: z.array(rule).min(1),
  alert: z.object({
    /** Suspicion at or above which an evaluation counts towards an alert. */
    on: z.number().min(0).max(1),
    /** Suspicion under which a raised alert clears. */
    off: z.number().min(0).max(1),
    /** Consecutive evaluations ≥ on needed to raise. */
    consecutive: z.number().int().min(1),
  }),
})

export type FuzzyConfig = z.infer<typeof fuzzyConfigSchema>

/** Validates a config: schema, then every rule names a known input, term and output term. */
export function parseFuzzyConfig(raw: unknown): FuzzyConfig {
  const parsed = fuzzyConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new SurveilInvalidConfigError(`Fix the fuzzy config: ${problems.join('; ')}`)
  }
  const config = parsed.data
  const problems: string[] = []
  config.rules.forEach((r, i) => {
    for (const c of r.when) {
      const input = config.inputs[c.input]
      if (!input) problems.push(`rules.${i}: unknown input '${c.input}'`)
      else
        for (const t of [c.is].flat())
          if (!input.terms[t]) problems.push(`rules.${i}: input '${c.input}' has no term '${t}'`)
    }
    if (!config.output.terms[r.conclude])
      problems.push(`rules.${i}: output has no term '${r.conclude}'`)
  })
  if (config.alert.off > config.alert.on) problems.push('alert.off must not exceed alert.on')
  if (problems.length)
    throw new SurveilInvalidConfigError(`Fix the fuzzy config: ${problems.join('; ')}`)
  return config
}

const trap = (a: number, b: number, c: number, d: number) => ({
  type: 'trap' as const,
  points: [a, b, c, d],
})
const tri = (a: number, b: number, c: number) => ({ type: 'tri' as const, points: [a, b, c] })
/** A rule: every input named must be in (one of) its term(s), in the order written. */
const ruleOf = (conclude: string, when: Record<string, string | string[]>) => ({
  when: Object.entries(when).map(([input, is]) => ({ input, is })),
  conclude,
})

/** The default config: docs/surveillance.md explains each input and rule. */
export const defaultFuzzyConfig: FuzzyConfig = {
  inputs: {
    dwell: {
      terms: { short: trap(0, 0, 20, 40), medium: tri(20, 60, 100), long: trap(60, 120, big, big) },
    },
    speed: {
      terms: {
        still: trap(0, 0, 0.1, 0.3),
        slow: tri(0.1, 0.4, 0.8),
        normal: tri(0.5, 0.9, 1.4),
        fast: trap(1.2, 2, big, big),
      },
    },
    straightness: {
      terms: {
        wandering: trap(0, 0, 0.3, 0.5),
        mixed: tri(0.3, 0.55, 0.8),
        direct: trap(0.6, 0.8, 1, 1),
      },
    },
    turns: { terms: { few: trap(0, 0, 1, 2), some: tri(1, 3, 5), many: trap(4, 6, big, big) } },
    zoneRisk: { terms: { low: trap(0, 0, 0.2, 0.4), high: trap(0.5, 0.8, 1, 1) } },
  },
  output: { terms: { normal: tri(0, 0, 0.4), watch: tri(0.3, 0.5, 0.7), alert: tri(0.6, 1, 1) } },
  rules: [
    ruleOf('alert', { dwell: 'long', straightness: 'wandering' }),
    ruleOf('watch', { dwell: 'long', speed: ['still', 'slow'], straightness: ['mixed', 'direct'] }),
    ruleOf('alert', { dwell: 'long', turns: 'many' }),
    ruleOf('alert', { dwell: 'medium', straightness: 'wandering', zoneRisk: 'high' }),
    ruleOf('watch', { dwell: 'medium', speed: 'slow' }),
    ruleOf('watch', { speed: 'fast', zoneRisk: 'high' }),
    ruleOf('normal', { straightness: 'direct', speed: 'normal' }),
    ruleOf('normal', { dwell: 'short' }),
    ruleOf('normal', { dwell: 'long', straightness: 'direct', zoneRisk: 'low' }),
  ],
  alert: { on: 0.7, off: 0.5, consecutive: 3 },
}
