/**
 * Movement features of one track over its sliding window of positions:
 * dwell (s), median speed (body heights/s), straightness (net displacement /
 * path length), turns (heading changes > 90° per minute, on 1 s steps) and
 * zone risk (the highest risk of the configured polygons the track is in).
 */
import { lowerMedian } from './lower-median.ts'

export type TrackPoint = {
  readonly t: number
  readonly cx: number
  readonly cy: number
  readonly h: number
}
/** Names of the restricted zones containing a box's feet (bottom centre). */
export function restrictedZonesAt(
  feet: { x: number; y: number },
  zones: readonly Zone[],
): string[] {
  return zones
    .filter((z) => z.restricted === true && insidePolygon(feet.x, feet.y, z.polygon))
    .map((z) => z.name)
}

export type Zone = {
  readonly name: string
  readonly risk: number
  /** A person whose feet are inside raises an intrusion alert. */
  readonly restricted?: boolean | undefined
  readonly polygon: readonly [number, number][]
}
export type TrackFeatures = {
  dwell: number
  speed: number
  straightness: number
  turns: number
  zoneRisk: number
}

/** Ray-casting point-in-polygon test. */
export function insidePolygon(x: number, y: number, polygon: readonly [number, number][]): boolean {
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as [number, number]
    const [xj, yj] = polygon[j] as [number, number]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Samples the window at ~1 s steps so box jitter does not count as turning. */
function resample(points: readonly TrackPoint[]): TrackPoint[] {
  const out: TrackPoint[] = []
  for (const p of points) if (!out.length || p.t - (out.at(-1) as TrackPoint).t >= 1) out.push(p)
  return out
}

/** Computes the features of a track's window (points in time order). */
export function trackFeatures(
  points: readonly TrackPoint[],
  zones: readonly Zone[] = [],
): TrackFeatures {
  const first = points[0]
  const last = points.at(-1)
  if (!first || !last) return { dwell: 0, speed: 0, straightness: 1, turns: 0, zoneRisk: 0 }
  const steps = resample(points)
  let path = 0
  const speeds: number[] = []
  let turns = 0
  for (let i = 1; i < steps.length; i++) {
    const a = steps[i - 1] as TrackPoint
    const b = steps[i] as TrackPoint
    const d = Math.hypot(b.cx - a.cx, b.cy - a.cy)
    path += d
    speeds.push(d / (b.t - a.t) / Math.max(b.h, 1))
    if (i >= 2) {
      const z = steps[i - 2] as TrackPoint
      const dot = (a.cx - z.cx) * (b.cx - a.cx) + (a.cy - z.cy) * (b.cy - a.cy)
      if (dot < 0) turns += 1
    }
  }
  const dwell = last.t - first.t
  const net = Math.hypot(last.cx - first.cx, last.cy - first.cy)
  const zoneRisk = Math.max(
    0,
    ...zones.filter((z) => insidePolygon(last.cx, last.cy, z.polygon)).map((z) => z.risk),
  )
  return {
    dwell,
    speed: lowerMedian(speeds) ?? 0,
    straightness: path > 0 ? Math.min(1, net / path) : 1,
    turns: dwell > 0 ? (turns * 60) / dwell : 0,
    zoneRisk,
  }
}
