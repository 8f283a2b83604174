/** An axis-aligned box in pixels: left, top, width, height. */
export type Box = { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

/** Intersection over union of two boxes (0 when disjoint or degenerate). */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x))
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))
  const inter = ix * iy
  const union = a.w * a.h + b.w * b.h - inter
  return union > 0 ? inter / union : 0
}
