/**
 * Detector boxes → the integer rectangles that get encrypted: each box grown
 * by `fraction` of its size on every side plus `pixels`, clipped to the
 * frame; empty ones dropped. Padding covers detector jitter (hair, ears, a
 * shoulder outside the box).
 */
import type { PrivacyAttribute } from './sidecar.ts'

export type RegionBox = {
  readonly attribute: PrivacyAttribute
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export type PadOptions = { readonly fraction: number; readonly pixels: number }

/** Pads and clips `boxes` to a `width × height` frame. */
export function padRegions(
  boxes: readonly RegionBox[],
  width: number,
  height: number,
  pad: PadOptions,
): RegionBox[] {
  const out: RegionBox[] = []
  for (const box of boxes) {
    if (![box.x, box.y, box.w, box.h].every(Number.isFinite)) continue
    const dx = box.w * pad.fraction + pad.pixels
    const dy = box.h * pad.fraction + pad.pixels
    const x0 = Math.max(0, Math.floor(box.x - dx))
    const y0 = Math.max(0, Math.floor(box.y - dy))
    const x1 = Math.min(width, Math.ceil(box.x + box.w + dx))
    const y1 = Math.min(height, Math.ceil(box.y + box.h + dy))
    if (x1 > x0 && y1 > y0)
      out.push({ attribute: box.attribute, x: x0, y: y0, w: x1 - x0, h: y1 - y0 })
  }
  return out
}
