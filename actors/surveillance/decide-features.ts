/**
 * The fuzzy decision over a batch of per-track feature samples (what
 * `vigil surveil decide` reads): `{ samples: [{ trackId, features }] }` in
 * time order; each sample is inferred and passed through the hysteresis.
 */
import { z } from 'zod'
import { createAlertHysteresis } from './alert-hysteresis.ts'
import { SurveilInvalidParameterError } from './errors.ts'
import { defaultFuzzyConfig, parseFuzzyConfig } from './fuzzy-config.ts'
import { inferSuspicion } from './fuzzy-engine.ts'

const featuresSchema = z.object({
  dwell: z.number().min(0),
  speed: z.number().min(0),
  straightness: z.number().min(0).max(1),
  turns: z.number().min(0),
  zoneRisk: z.number().min(0).max(1),
})
const fileSchema = z.object({
  samples: z.array(z.object({ trackId: z.number().int(), features: featuresSchema })),
})

export type Decision = { trackId: number; suspicion: number; label: string; alert: boolean }

/** Label of the output term with the highest membership at the suspicion. */
function label(strengths: Record<string, number>): string {
  return Object.entries(strengths).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'normal'
}

/** Decides every sample; the last decision per track is its current state. */
export function decideFeatures(
  raw: unknown,
  rawConfig?: unknown,
): { decisions: Decision[]; alerts: number[] } {
  const config = rawConfig === undefined ? defaultFuzzyConfig : parseFuzzyConfig(rawConfig)
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    throw new SurveilInvalidParameterError(
      `Features file must be { samples: [{ trackId, features: { dwell, speed, straightness, turns, zoneRisk } }] }: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  }
  const hysteresis = createAlertHysteresis(config.alert)
  const decisions = parsed.data.samples.map(({ trackId, features }) => {
    const result = inferSuspicion(config, features)
    return {
      trackId,
      suspicion: result.suspicion,
      label: label(result.strengths),
      alert: hysteresis.observe(trackId, result.suspicion),
    }
  })
  const alerts = [...new Set(decisions.filter((d) => d.alert).map((d) => d.trackId))]
  return { decisions, alerts }
}
