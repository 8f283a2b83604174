/**
 * CLEAR-MOT and identity metrics with py-motmetrics' definitions
 * (`mm.distances.iou_matrix(max_iou=0.5)`, MOTAccumulator):
 * per frame, last frame's matches stay if still valid (IoU ≥ 0.5), the rest
 * are assigned by the Hungarian method on 1 − IoU; a ground-truth object
 * matched to a different hypothesis than at its last match is an id switch.
 * MOTA = 1 − (FN + FP + IDSW) / GT. IDF1 = 2·IDTP / (GT + hypotheses), with
 * IDTP from the best one-to-one trajectory assignment (Ristani et al. 2016).
 */
import { munkres } from 'munkres'
import { iou } from './box.ts'
import type { MotRow } from './format-mot.ts'

/** Named as py-motmetrics reports them (`num_frames`, …), so figures compare side by side. */
export type MotMetrics = {
  num_frames: number
  num_objects: number
  num_predictions: number
  num_misses: number
  num_false_positives: number
  num_switches: number
  num_fragmentations: number
  mota: number
  idf1: number
  idtp: number
}

const byFrame = (rows: readonly MotRow[]) => {
  const map = new Map<number, MotRow[]>()
  for (const r of rows) map.set(r.frame, [...(map.get(r.frame) ?? []), r])
  return map
}

/** Matches one frame: keeps valid previous pairs, Hungarian on the rest. */
function matchFrame(
  gts: MotRow[],
  hyps: MotRow[],
  previous: Map<number, number>,
  threshold: number,
): Map<number, number> {
  const pairs = new Map<number, number>()
  const usedH = new Set<number>()
  for (const g of gts) {
    const h = hyps.find((x) => x.id === previous.get(g.id))
    if (h && iou(g, h) >= threshold) {
      pairs.set(g.id, h.id)
      usedH.add(h.id)
    }
  }
  const freeG = gts.filter((g) => !pairs.has(g.id))
  const freeH = hyps.filter((h) => !usedH.has(h.id))
  if (freeG.length && freeH.length) {
    const cost = freeG.map((g) => freeH.map((h) => (iou(g, h) >= threshold ? 1 - iou(g, h) : 10)))
    for (const [gi, hi] of munkres(cost)) {
      if (((cost[gi] as number[])[hi] as number) <= 1 - threshold)
        pairs.set((freeG[gi] as MotRow).id, (freeH[hi] as MotRow).id)
    }
  }
  return pairs
}

function idtp(gt: readonly MotRow[], hyp: readonly MotRow[], threshold: number): number {
  const gIds = [...new Set(gt.map((r) => r.id))]
  const hIds = [...new Set(hyp.map((r) => r.id))]
  if (!gIds.length || !hIds.length) return 0
  const hypAt = new Map(hyp.map((r) => [`${r.frame}:${r.id}`, r]))
  const overlap = gIds.map(() => new Array<number>(hIds.length).fill(0))
  for (const g of gt) {
    hIds.forEach((h, j) => {
      const r = hypAt.get(`${g.frame}:${h}`)
      if (r && iou(g, r) >= threshold)
        (overlap[gIds.indexOf(g.id)] as number[])[j] =
          ((overlap[gIds.indexOf(g.id)] as number[])[j] as number) + 1
    })
  }
  const cost = overlap.map((row) => row.map((v) => -v))
  return munkres(cost).reduce((sum, [i, j]) => sum + ((overlap[i] as number[])[j] as number), 0)
}

/** Computes the metrics of hypotheses against ground truth (IoU threshold 0.5). */
export function computeMotMetrics(
  gt: readonly MotRow[],
  hyp: readonly MotRow[],
  threshold = 0.5,
): MotMetrics {
  const gFrames = byFrame(gt)
  const hFrames = byFrame(hyp)
  const frames = [...new Set([...gFrames.keys(), ...hFrames.keys()])].sort((a, b) => a - b)
  let previous = new Map<number, number>()
  const lastMatch = new Map<number, number>()
  const wasTracked = new Map<number, boolean>()
  let misses = 0
  let falsePositives = 0
  let switches = 0
  let fragmentations = 0
  for (const f of frames) {
    const gts = gFrames.get(f) ?? []
    const hyps = hFrames.get(f) ?? []
    const pairs = matchFrame(gts, hyps, previous, threshold)
    for (const g of gts) {
      const h = pairs.get(g.id)
      if (h === undefined) {
        misses += 1
        if (wasTracked.get(g.id)) wasTracked.set(g.id, false)
        continue
      }
      if (lastMatch.has(g.id) && lastMatch.get(g.id) !== h) switches += 1
      if (wasTracked.get(g.id) === false) fragmentations += 1
      lastMatch.set(g.id, h)
      wasTracked.set(g.id, true)
    }
    falsePositives += hyps.length - pairs.size
    previous = pairs
  }
  const tp = idtp(gt, hyp, threshold)
  return {
    num_frames: frames.length,
    num_objects: gt.length,
    num_predictions: hyp.length,
    num_misses: misses,
    num_false_positives: falsePositives,
    num_switches: switches,
    num_fragmentations: fragmentations,
    mota: gt.length ? 1 - (misses + falsePositives + switches) / gt.length : 0,
    idf1: gt.length + hyp.length ? (2 * tp) / (gt.length + hyp.length) : 0,
    idtp: tp,
  }
}
