/**
 * Sharper edges for a live tamper span (detect-checkpoint-tamper.ts). With
 * 20 s frames the ENF difference at a splice edge ramps over ± half a frame,
 * so "first to last step beyond the tolerance" lands up to ≈ 10 s off,
 * depending on how far the spliced ENF sits from the grid's. Over a few mHz
 * (far below the 50 mHz frame resolution) the frame's peak follows the
 * window-weighted mean of the two parts, so the edge is where the difference
 * crosses half-way between its level outside (the mean over the frame beyond
 * the first guess) and inside (the extreme within a frame inside it; the
 * spliced ENF wanders, so no mean inside is steady): each edge
 * moves there when the two levels differ by more than `minContrast` noise σ
 * and the crossing lies within half a frame of the first guess. An edge the
 * history has not passed yet (or starts at) is left as it is; the level after
 * the end is taken from the steps from 2 past it on (at least 3 of them).
 */

export type SpanEdges = { startSeconds: number; endSeconds: number }

/** The value of `e` in [from, to] farthest from `level`. */
function extremeOver(e: ArrayLike<number>, from: number, to: number, level: number): number {
  let best = Number.NaN
  for (let i = Math.max(0, from); i <= Math.min(e.length - 1, to); i++) {
    if (!Number.isFinite(e[i]!)) continue
    if (!(Math.abs(e[i]! - level) <= Math.abs(best - level))) best = e[i]!
  }
  return best
}

function meanOver(e: ArrayLike<number>, from: number, to: number): number {
  let sum = 0
  let count = 0
  for (let i = Math.max(0, from); i <= Math.min(e.length - 1, to); i++) {
    if (!Number.isFinite(e[i]!)) continue
    sum += e[i]!
    count++
  }
  return count ? sum / count : Number.NaN
}

/** The step (fractional) where `e` crosses the half level between outside and inside, walking `direction`. */
function crossing(
  e: ArrayLike<number>,
  from: number,
  to: number,
  levels: { outside: number; inside: number },
): number | null {
  const half = (levels.outside + levels.inside) / 2
  const sign = Math.sign(levels.inside - levels.outside)
  const step = to >= from ? 1 : -1
  // Unusable steps (NaN) are passed over: the crossing lies between the finite values around them.
  let previous = Number.NaN
  let previousAt = from
  for (let i = from; i !== to + step; i += step) {
    const b = e[i]!
    if (!Number.isFinite(b)) continue
    const a = previous
    if (Number.isFinite(a) && sign * (a - half) < 0 && sign * (b - half) >= 0)
      return previousAt + ((i - previousAt) * (half - a)) / (b - a)
    previous = b
    previousAt = i
  }
  return null
}

/**
 * Refines a span of residual `e` (one value per step, step 0 at `startSeconds`):
 * `frameSteps` the frame in steps, `noise` the residual's σ (Hz).
 */
export function refineSpanEdges(
  e: ArrayLike<number>,
  grid: { startSeconds: number; hopSeconds: number },
  span: SpanEdges,
  options: { frameSteps: number; noise: number; minContrast?: number | undefined },
): SpanEdges {
  const half = Math.round(options.frameSteps / 2)
  const at = (seconds: number) => Math.round((seconds - grid.startSeconds) / grid.hopSeconds)
  const time = (index: number) => grid.startSeconds + index * grid.hopSeconds
  const first = at(span.startSeconds)
  const last = at(span.endSeconds)
  const minContrast = (options.minContrast ?? 4) * Math.max(options.noise, 1e-6)
  const mid = Math.round((first + last) / 2)
  const out = { ...span }
  if (first - 2 * half >= 0) {
    const outside = meanOver(e, first - 2 * half, first - half)
    const levels = {
      outside,
      inside: extremeOver(e, first, Math.min(mid, first + 2 * half), outside),
    }
    const edge =
      Math.abs(levels.inside - levels.outside) > minContrast
        ? crossing(e, Math.max(0, first - 2 * half), Math.min(mid, first + 2 * half), levels)
        : null
    if (edge !== null && Math.abs(edge - first) <= half + 1) out.startSeconds = time(edge)
  }
  // The history may end soon after the span: the level after it from what there is (≥ 3 steps).
  const after = 2
  if (last + after + 2 < e.length) {
    const outside = meanOver(e, last + after, last + 2 * half)
    const levels = {
      outside,
      inside: extremeOver(e, Math.max(mid, last - 2 * half), last, outside),
    }
    const edge =
      Math.abs(levels.inside - levels.outside) > minContrast
        ? crossing(
            e,
            Math.min(e.length - 1, last + 2 * half),
            Math.max(mid, last - 2 * half),
            levels,
          )
        : null
    if (edge !== null && Math.abs(edge - last) <= half + 1) out.endSeconds = time(edge)
  }
  return out
}
