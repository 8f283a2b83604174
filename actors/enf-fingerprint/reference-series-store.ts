/**
 * The grid reference's ENF as the grid-reference actor keeps it (docs/enf.md,
 * Live): one value per step on the wall clock, the last `retainSeconds`
 * kept (a day by default: ≈ 1.4 MB), answered for a time range. Steps
 * missing between two appended runs (the input was lost and restarted) are
 * held as placeholders (the previous frequency, no SNR, not valid) and named
 * as gaps: a range that covers one says so.
 */
import type { ReferenceSeries } from './detect-checkpoint-tamper.ts'
import type { LiveEnfStep } from './live-enf-extractor.ts'

/** A wall-clock range (ms, both ends included) in which the reference has no steps. */
export type ReferenceGap = { fromMs: number; toMs: number }

export type ReferenceSeriesStore = {
  /**
   * Appends steps whose times are `offsetSeconds` + their own (a restarted input's extractor
   * starts at 0 again); steps missing before them become a gap.
   */
  append(steps: readonly LiveEnfStep[], offsetSeconds?: number): void
  /** The steps whose time lies in [fromMs, toMs], and the gaps reaching into it, or null when none does. */
  series(fromMs: number, toMs: number): ReferenceSeries | null
  /** Wall-clock ms of the last step held (−Infinity before the first). */
  readonly coveredUntilMs: number
  readonly firstMs: number
  readonly length: number
  /** Every gap still within the retained steps, oldest first. */
  readonly gaps: readonly ReferenceGap[]
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
  let gaps: ReferenceGap[] = []
  const fillTo = (atMs: number) => {
    const missing = Math.round((atMs - firstMs) / hopMs) - frequency.length
    if (missing <= 0) return
    const fromMs = firstMs + frequency.length * hopMs
    const held = frequency.at(-1)!
    for (let i = 0; i < missing; i++) {
      frequency.push(held)
      snr.push(null)
      valid.push(false)
    }
    gaps.push({ fromMs, toMs: fromMs + (missing - 1) * hopMs })
  }
  return {
    append(steps, offsetSeconds = 0) {
      for (const step of steps) {
        const atMs = options.epochMs + (offsetSeconds + step.timeSeconds) * 1000
        if (frequency.length === 0) firstMs = atMs
        else fillTo(atMs)
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
        gaps = gaps.filter((g) => g.toMs >= firstMs)
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
        gaps: gaps.filter((g) => g.toMs >= fromMs && g.fromMs <= toMs),
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
    get gaps() {
      return gaps
    },
  }
}
