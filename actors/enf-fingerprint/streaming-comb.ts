/**
 * The harmonic comb and decimation of harmonic-folding.ts (combAndDecimate)
 * one sample at a time, its state carried between chunks, for live ENF
 * (live-enf-extractor.ts): the same output as the batch filter on the same
 * samples, since both keep every D-th sample counted from the first.
 */
import { COMB_POLE } from './harmonic-folding.ts'

export type StreamingComb = {
  /** Filters one sample; answers the decimated output when this sample is kept. */
  next(x: number): number | undefined
}

/** Two cascaded one-pole combs of period `period`, then every `decimation`-th sample. */
export function createStreamingComb(period: number, decimation: number): StreamingComb {
  const gain = 1 - COMB_POLE
  const stage1 = new Float64Array(period)
  const stage2 = new Float64Array(period)
  let slot = 0
  let phase = 0
  return {
    next(x) {
      const y1 = gain * x + COMB_POLE * stage1[slot]!
      stage1[slot] = y1
      const y2 = gain * y1 + COMB_POLE * stage2[slot]!
      stage2[slot] = y2
      slot = slot + 1 === period ? 0 : slot + 1
      const keep = phase === 0
      phase = phase + 1 === decimation ? 0 : phase + 1
      return keep ? y2 : undefined
    },
  }
}
