import { describe, expect, test } from 'bun:test'
import { createAlertHysteresis } from './alert-hysteresis.ts'
import { decideFeatures } from './decide-features.ts'
import { SurveilInvalidConfigError } from './errors.ts'
import { defaultFuzzyConfig, parseFuzzyConfig } from './fuzzy-config.ts'
import { inferSuspicion, trap, tri } from './fuzzy-engine.ts'
import { actorBox, loiterer, walker } from './testing/index.ts'
import { trackFeatures } from './track-features.ts'

describe('fuzzy engine (I-SAFE-inspired)', () => {
  test('computes trapezoid and triangle memberships exactly', () => {
    expect([trap(10, 0, 0, 20, 40), trap(30, 0, 0, 20, 40), trap(50, 0, 0, 20, 40)]).toEqual([
      1, 0.5, 0,
    ])
    expect([tri(40, 20, 60, 100), tri(60, 20, 60, 100), tri(100, 20, 60, 100)]).toEqual([0.5, 1, 0])
  })

  test('scores a long wandering dwell at suspicion ≥ 0.8 and a short direct pass as normal', () => {
    const loiter = inferSuspicion(defaultFuzzyConfig, {
      dwell: 130,
      speed: 0.9,
      straightness: 0.2,
      turns: 3,
      zoneRisk: 0,
    })
    const pass = inferSuspicion(defaultFuzzyConfig, {
      dwell: 8,
      speed: 0.9,
      straightness: 0.95,
      turns: 0,
      zoneRisk: 0,
    })
    expect(loiter.suspicion).toBeGreaterThanOrEqual(0.8)
    expect(pass.suspicion).toBeLessThan(0.3)
  })

  test('refuses a config whose rule names an unknown term, listing every problem', () => {
    const bad = {
      ...defaultFuzzyConfig,
      rules: [{ when: [{ input: 'dwell', is: 'forever' }], conclude: 'panic' }],
    }
    expect(() => parseFuzzyConfig(bad)).toThrow(SurveilInvalidConfigError)
    expect(() => parseFuzzyConfig(bad)).toThrow(/no term 'forever'.*no term 'panic'/)
    expect(() =>
      parseFuzzyConfig({ ...defaultFuzzyConfig, alert: { on: 0.5, off: 0.7, consecutive: 1 } }),
    ).toThrow(/alert.off/)
  })

  test('raises an alert only after k consecutive high scores and clears it under the off threshold', () => {
    const h = createAlertHysteresis({ on: 0.7, off: 0.5, consecutive: 3 })
    expect([0.8, 0.8, 0.6, 0.8, 0.8, 0.8, 0.6, 0.4].map((s) => h.observe(1, s))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ])
  })

  test('alerts the synthetic loiterer and not the passer-by', () => {
    const fps = 10
    const people = [loiterer(1, 1, 1500, 160, 120, 120), walker(2, 1, 0, 60, 2, 0)]
    const samples = []
    for (let end = 100; end <= 1500; end += 100) {
      for (const person of people) {
        const points = []
        for (let f = 1; f <= end; f++) {
          const b = actorBox(person, f)
          if (b && b.x >= 0 && b.x + b.w <= 320)
            points.push({ t: f / fps, cx: b.x + b.w / 2, cy: b.y + b.h / 2, h: b.h })
        }
        if (points.length) samples.push({ trackId: person.id, features: trackFeatures(points) })
      }
    }
    const result = decideFeatures({ samples })
    expect(result.alerts).toEqual([1])
  })
})
