/**
 * The fast default person detector, cheap enough for a Raspberry Pi:
 * running-average background subtraction, a foreground mask pooled into
 * cells, 8-connected components over the cells (union-find), and boxes
 * filtered by area and shape. Pooling merges the fragments one body splits
 * into, so boxes are on the cell grid.
 */
import type { Box } from './box.ts'
import type { GrayFrame } from './gray-frame.ts'

export type BlobDetectorOptions = {
  /** Background learning rate per frame (0–1); default 0.02. */
  alpha?: number
  /** Absolute grey-level difference that counts as foreground; default 25. */
  threshold?: number
  /** Cell side in pixels for pooling; default 4. */
  cell?: number
  /** Fraction of a cell's pixels that must be foreground; default 0.25. */
  cellFill?: number
  /** Minimum box area as a fraction of the frame; default 0.002. */
  minAreaFraction?: number
  /** Frames used to learn the background before any detection; default 5. */
  warmupFrames?: number
}

export type Detection = Box & { readonly score: number }

export type BlobDetector = { detect(frame: GrayFrame): Detection[] }

type Settings = Required<BlobDetectorOptions>

const defaults: Settings = {
  alpha: 0.02,
  threshold: 25,
  cell: 4,
  cellFill: 0.25,
  minAreaFraction: 0.002,
  warmupFrames: 5,
}

/** Updates the background and returns the per-cell foreground counts. */
function foregroundCells(
  frame: GrayFrame,
  bg: Float32Array,
  s: Settings,
  cols: number,
  counts: Uint16Array,
  learning: boolean,
): void {
  counts.fill(0)
  const { width, height, pixels } = frame
  const slow = s.alpha / 10
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / s.cell) * cols
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      const p = pixels[i] as number
      const b = bg[i] as number
      const fg = Math.abs(p - b) > s.threshold
      bg[i] = b + (learning ? 0.3 : fg ? slow : s.alpha) * (p - b)
      if (fg)
        counts[row + Math.floor(x / s.cell)] = (counts[row + Math.floor(x / s.cell)] as number) + 1
    }
  }
}

function find(parent: Int32Array, i: number): number {
  let root = i
  while (parent[root] !== root) root = parent[root] as number
  while (parent[i] !== root) {
    const next = parent[i] as number
    parent[i] = root
    i = next
  }
  return root
}

/** Labels 8-connected on-cells; returns each component's cell bounds. */
function components(on: Uint8Array, cols: number, rows: number): number[][] {
  const parent = new Int32Array(on.length).map((_, i) => i)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c
      if (!on[i]) continue
      const neighbours = [c > 0 ? i - 1 : -1, r > 0 ? i - cols : -1]
      if (r > 0 && c > 0) neighbours.push(i - cols - 1)
      if (r > 0 && c < cols - 1) neighbours.push(i - cols + 1)
      for (const n of neighbours) if (n >= 0 && on[n]) parent[find(parent, n)] = find(parent, i)
    }
  }
  const bounds = new Map<number, number[]>()
  for (let i = 0; i < on.length; i++) {
    if (!on[i]) continue
    const root = find(parent, i)
    const r = Math.floor(i / cols)
    const c = i % cols
    const b = bounds.get(root)
    if (!b) bounds.set(root, [c, r, c, r, 1])
    else {
      b[0] = Math.min(b[0] as number, c)
      b[1] = Math.min(b[1] as number, r)
      b[2] = Math.max(b[2] as number, c)
      b[3] = Math.max(b[3] as number, r)
      b[4] = (b[4] as number) + 1
    }
  }
  return [...bounds.values()]
}

/** Merges cell boxes stacked vertically (torso and legs split by clothes matching the background). */
function mergeStacked(boxes: number[][], gapCells: number): number[][] {
  const out = boxes.map((b) => [...b])
  for (let merged = true; merged; ) {
    merged = false
    for (let i = 0; i < out.length && !merged; i++)
      for (let j = i + 1; j < out.length && !merged; j++) {
        const [a0, b0, a1, b1, n] = out[i] as number[]
        const [c0, d0, c1, d1, m] = out[j] as number[]
        const overlap =
          Math.min(a1 as number, c1 as number) - Math.max(a0 as number, c0 as number) + 1
        const narrower =
          Math.min((a1 as number) - (a0 as number), (c1 as number) - (c0 as number)) + 1
        const gap = Math.max(b0 as number, d0 as number) - Math.min(b1 as number, d1 as number) - 1
        if (overlap < narrower / 2 || gap > gapCells) continue
        out[i] = [
          Math.min(a0 as number, c0 as number),
          Math.min(b0 as number, d0 as number),
          Math.max(a1 as number, c1 as number),
          Math.max(b1 as number, d1 as number),
          (n as number) + (m as number),
        ]
        out.splice(j, 1)
        merged = true
      }
  }
  return out
}

/** Creates a stateful detector (it learns the background of one camera). */
export function createBlobDetector(options: BlobDetectorOptions = {}): BlobDetector {
  const s: Settings = { ...defaults, ...options }
  let bg: Float32Array | undefined
  let seen = 0
  return {
    detect(frame) {
      const cols = Math.ceil(frame.width / s.cell)
      const rows = Math.ceil(frame.height / s.cell)
      if (!bg) bg = Float32Array.from(frame.pixels)
      seen += 1
      const counts = new Uint16Array(cols * rows)
      foregroundCells(frame, bg, s, cols, counts, seen <= s.warmupFrames)
      if (seen <= s.warmupFrames) return []
      const need = s.cell * s.cell * s.cellFill
      const on = new Uint8Array(counts.length)
      for (let i = 0; i < counts.length; i++) on[i] = (counts[i] as number) >= need ? 1 : 0
      const minArea = s.minAreaFraction * frame.width * frame.height
      const out: Detection[] = []
      for (const [c0, r0, c1, r1, n] of mergeStacked(components(on, cols, rows), 1)) {
        const x = (c0 as number) * s.cell
        const y = (r0 as number) * s.cell
        const w = Math.min(frame.width, ((c1 as number) + 1) * s.cell) - x
        const h = Math.min(frame.height, ((r1 as number) + 1) * s.cell) - y
        if (w * h < minArea) continue
        out.push({ x, y, w, h, score: Math.min(1, ((n as number) * s.cell * s.cell) / (w * h)) })
      }
      return out
    },
  }
}
