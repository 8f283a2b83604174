import { describe, expect, test } from 'bun:test'
import { refineSpanEdges } from './refine-span-edges.ts'

/** A residual 0 outside [100, 140] s and `level` inside, ramping linearly over ± 10 s at each edge. */
function ramped(level: number): Float64Array {
  return Float64Array.from({ length: 200 }, (_, t) => {
    const into = Math.min(t - 90, 150 - t)
    return level * Math.max(0, Math.min(1, into / 20))
  })
}

describe('refineSpanEdges', () => {
  const grid = { startSeconds: 0, hopSeconds: 1 }
  const options = { frameSteps: 20, noise: 0.0005 }

  test('moves edges found late or early to the half-way crossings of the ramps', () => {
    const refined = refineSpanEdges(
      ramped(0.02),
      grid,
      { startSeconds: 95, endSeconds: 147 },
      options,
    )
    expect(Math.abs(refined.startSeconds - 100)).toBeLessThan(0.1)
    expect(Math.abs(refined.endSeconds - 140)).toBeLessThan(0.1)
  })

  test('passes over unusable steps between the levels', () => {
    const e = ramped(-0.02)
    for (let t = 136; t <= 143; t++) e[t] = Number.NaN
    const refined = refineSpanEdges(e, grid, { startSeconds: 96, endSeconds: 146 }, options)
    expect(Math.abs(refined.endSeconds - 140)).toBeLessThan(4)
  })

  test('keeps a span whose levels the noise does not separate', () => {
    const span = { startSeconds: 95, endSeconds: 147 }
    expect(refineSpanEdges(ramped(0.001), grid, span, options)).toEqual(span)
  })
})
