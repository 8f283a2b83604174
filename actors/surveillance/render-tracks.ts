/**
 * Draws tracked boxes (one colour per id) on a grey or rgb24 frame as RGB, for
 * the PNG samples `vigil surveil track --render <dir>` writes.
 */
import type { TrackedBox } from './sort-tracker.ts'

const palette = [
  [255, 64, 64],
  [64, 255, 64],
  [64, 128, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
]

/** Returns an RGB copy of the frame (grey or rgb24) with each box outlined 2 px wide. */
export function renderTracks(
  gray: Uint8Array,
  width: number,
  height: number,
  boxes: readonly TrackedBox[],
): Uint8Array {
  const rgb = new Uint8Array(width * height * 3)
  if (gray.length === rgb.length) rgb.set(gray)
  else for (let i = 0; i < gray.length; i++) rgb.fill(gray[i] as number, i * 3, i * 3 + 3)
  const paint = (x: number, y: number, colour: number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return
    rgb.set(colour, (y * width + x) * 3)
  }
  for (const box of boxes) {
    const colour = palette[box.id % palette.length] as number[]
    const [x0, y0] = [Math.round(box.x), Math.round(box.y)]
    const [x1, y1] = [Math.round(box.x + box.w), Math.round(box.y + box.h)]
    for (let t = 0; t < 2; t++) {
      for (let x = x0; x <= x1; x++) {
        paint(x, y0 + t, colour)
        paint(x, y1 - t, colour)
      }
      for (let y = y0; y <= y1; y++) {
        paint(x0 + t, y, colour)
        paint(x1 - t, y, colour)
      }
    }
  }
  return rgb
}
