/**
 * Decodes CenterNet's person heads into boxes in JavaScript, so the graph
 * can run at any input size (its own `tower_0/detections` head folds the
 * 512×512 grid into constants). `heat` is the person channel of
 * `tower_0/keypoints` (sigmoid scores on a grid of stride 4), `wh` is
 * `tower_0/wh` (distances left, top, right, bottom from the cell centre, in
 * input pixels). A cell is a detection when it is the maximum of its 3×3
 * neighbourhood (the graph's max-pool test) and scores at least `minScore`;
 * overlapping boxes are then suppressed greedily (IoU above `iouThreshold`).
 */
import type { Detection } from './blob-detector.ts'
import { iou } from './box.ts'

export type CenterNetGrid = {
  /** Grid cells across and down (input size / stride). */
  readonly width: number
  readonly height: number
  /** Input pixels per cell: 4 for CenterNet. */
  readonly stride: number
  /** Frame pixels per input pixel, across and down. */
  readonly scaleX: number
  readonly scaleY: number
}

export type CenterNetDecodeOptions = {
  readonly minScore: number
  readonly maxDetections: number
  readonly iouThreshold: number
  /** Boxes are clipped to the frame. */
  readonly frameWidth: number
  readonly frameHeight: number
}

function isPeak(heat: Float32Array, g: CenterNetGrid, x: number, y: number): boolean {
  const v = heat[y * g.width + x]!
  for (let yy = Math.max(0, y - 1); yy <= Math.min(g.height - 1, y + 1); yy++)
    for (let xx = Math.max(0, x - 1); xx <= Math.min(g.width - 1, x + 1); xx++)
      if (heat[yy * g.width + xx]! > v) return false
  return true
}

function cellBox(wh: Float32Array, g: CenterNetGrid, o: CenterNetDecodeOptions, cell: number) {
  const cx = (cell % g.width) * g.stride
  const cy = Math.floor(cell / g.width) * g.stride
  const left = Math.max(0, (cx - wh[cell * 4]!) * g.scaleX)
  const top = Math.max(0, (cy - wh[cell * 4 + 1]!) * g.scaleY)
  const right = Math.min(o.frameWidth, (cx + wh[cell * 4 + 2]!) * g.scaleX)
  const bottom = Math.min(o.frameHeight, (cy + wh[cell * 4 + 3]!) * g.scaleY)
  return { x: left, y: top, w: Math.max(0, right - left), h: Math.max(0, bottom - top) }
}

/** Person boxes in frame pixels, best score first. */
export function decodeCenterNet(
  heat: Float32Array,
  wh: Float32Array,
  grid: CenterNetGrid,
  options: CenterNetDecodeOptions,
): Detection[] {
  const peaks: number[] = []
  for (let y = 0; y < grid.height; y++)
    for (let x = 0; x < grid.width; x++)
      if (heat[y * grid.width + x]! >= options.minScore && isPeak(heat, grid, x, y))
        peaks.push(y * grid.width + x)
  peaks.sort((a, b) => heat[b]! - heat[a]!)
  const kept: Detection[] = []
  for (const cell of peaks) {
    if (kept.length >= options.maxDetections) break
    const box = { ...cellBox(wh, grid, options, cell), score: heat[cell]! }
    if (box.w <= 0 || box.h <= 0) continue
    if (kept.every((k) => iou(k, box) <= options.iouThreshold)) kept.push(box)
  }
  return kept
}
