/**
 * SORT (Bewley et al. 2016): predict every track, assign detections to
 * predictions by the Hungarian method on IoU (package `munkres`), reject
 * matches under `iouThreshold`, start tracks for unmatched detections and
 * drop tracks unmatched for more than `maxAge` frames. Ids are stable and
 * 1-based; a track is reported once it has `minHits` hits (or during the
 * first `minHits` frames, as the reference code does).
 */
import { munkres } from 'munkres'
import { type Box, iou } from './box.ts'
import { KalmanBoxFilter } from './kalman-box-filter.ts'

export type SortOptions = {
  /** Frames a track survives without a match; default 5 (reference: 1; blobs flicker). */
  maxAge?: number
  /** Hits before a track is reported; default 3. */
  minHits?: number
  /** Least IoU for a match; default 0.3. */
  iouThreshold?: number
}

export type TrackedBox = Box & { readonly id: number; readonly score: number }

type Track = {
  id: number
  filter: KalmanBoxFilter
  hits: number
  streak: number
  sinceUpdate: number
  score: number
}

export type SortTracker = {
  /** Feeds one frame's detections; returns the tracks to report for that frame. */
  update(detections: readonly (Box & { score?: number })[]): TrackedBox[]
  /** Number of track ids handed out so far. */
  readonly created: number
}

/** Pairs [detection, track] with IoU ≥ threshold, maximising total IoU. */
export function assignByIou(
  detections: readonly Box[],
  predictions: readonly Box[],
  threshold: number,
): [number, number][] {
  if (detections.length === 0 || predictions.length === 0) return []
  const cost = detections.map((d) => predictions.map((p) => 1 - iou(d, p)))
  return munkres(cost).filter(
    ([d, t]) => 1 - ((cost[d] as number[])[t] as number) >= threshold,
  ) as [number, number][]
}

/** Creates a SORT tracker for one camera. */
export function createSortTracker(options: SortOptions = {}): SortTracker {
  const maxAge = options.maxAge ?? 5
  const minHits = options.minHits ?? 3
  const threshold = options.iouThreshold ?? 0.3
  let tracks: Track[] = []
  let nextId = 1
  let frame = 0
  return {
    get created() {
      return nextId - 1
    },
    update(detections) {
      frame += 1
      const predictions = tracks.map((t) => t.filter.predict())
      const pairs = assignByIou(detections, predictions, threshold)
      const matchedDet = new Set<number>()
      for (const t of tracks) t.sinceUpdate += 1
      for (const [d, ti] of pairs) {
        const track = tracks[ti] as Track
        const det = detections[d] as Box & { score?: number }
        track.filter.update(det)
        track.hits += 1
        track.streak = track.sinceUpdate === 1 ? track.streak + 1 : 1
        track.sinceUpdate = 0
        track.score = det.score ?? 1
        matchedDet.add(d)
      }
      detections.forEach((det, d) => {
        if (matchedDet.has(d)) return
        tracks.push({
          id: nextId++,
          filter: new KalmanBoxFilter(det),
          hits: 1,
          streak: 1,
          sinceUpdate: 0,
          score: det.score ?? 1,
        })
      })
      tracks = tracks.filter((t) => t.sinceUpdate <= maxAge)
      return tracks
        .filter((t) => t.sinceUpdate === 0 && (t.streak >= minHits || frame <= minHits))
        .map((t) => ({ ...t.filter.box(), id: t.id, score: t.score }))
    },
  }
}
