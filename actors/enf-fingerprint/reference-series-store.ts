/**
 * The grid reference's ENF as the grid-reference actor keeps it (docs/enf.md,
 * Live): one value per step on the wall clock, the last `retainSeconds`
 * kept (a day by default: ≈ 1.4 MB), answered for a time range.
 */
import type { ReferenceSeries } from './detect-checkpoint-tamper.ts'
import type { LiveEnfStep } from './live-enf-extractor.ts'

export type ReferenceSeriesStore = {
  append(steps: readonly LiveEnfStep[]): void
  /** The steps whose time lies in [fromMs, toMs], or null when none does. */
  series(fromMs: number, toMs: number): ReferenceSeries | null
  /** Wall-clock ms of the last step held (−Infinity before the first). */
  readonly coveredUntilMs: number
  readonly firstMs: number
  readonly length: number
}

/** A store for steps of a stream whose time 0 is `epochMs` (wall clock), `hopSeconds` apart. */
export function createReferenceSeriesStore(options: {
  epochMs: number
  hopSeconds: number
  retainSeconds?: number | undefined
}): ReferenceSeriesStore {
  const hopMs = options.hopSeconds * 1000
  const retain = Math.max(1, Math.round((options.retainSeconds ?? 86_400) / options.hopSeconds))
  let frequency: number[] = []
  let snr: (number | null)[] = []
  let valid: boolean[] = []
  let firstMs = Number.NaN
  return {
    append(steps) {
      for (const step of steps) {
        if (frequency.length === 0) firstMs = options.epochMs + step.timeSeconds * 1000
        frequency.push(step.frequencyHz)
        snr.push(Number.isFinite(step.snrDb) ? step.snrDb : null)
        valid.push(step.valid)
      }
      if (frequency.length > 2 * retain) {
        const drop = frequency.length - retain
        frequency = frequency.slice(drop)
        snr = snr.slice(drop)
        valid = valid.slice(drop)
        firstMs += drop * hopMs
      }
    },
    series(fromMs, toMs) {
      if (frequency.length === 0) return null
      const from = Math.max(0, Math.ceil((fromMs - firstMs) / hopMs - 1e-9))
      const to = Math.min(frequency.length - 1, Math.floor((toMs - firstMs) / hopMs + 1e-9))
      if (to < from) return null
      return {
        startMs: firstMs + from * hopMs,
        hopMs,
        frequencyHz: frequency.slice(from, to + 1),
        snrDb: snr.slice(from, to + 1),
        valid: valid.slice(from, to + 1),
      }
    },
    get coveredUntilMs() {
      return frequency.length ? firstMs + (frequency.length - 1) * hopMs : Number.NEGATIVE_INFINITY
    },
    get firstMs() {
      return firstMs
    },
    get length() {
      return frequency.length
    },
  }
}
