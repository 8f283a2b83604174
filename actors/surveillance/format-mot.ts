/**
 * MOT-challenge result lines: `frame,id,left,top,width,height,conf,-1,-1,-1`
 * (frames 1-based, pixels of the original video, two decimals).
 */
import type { TrackedBox } from './sort-tracker.ts'

/** One MOT line for a tracked box, scaled by (sx, sy) back to the original video. */
export function formatMotLine(frame: number, box: TrackedBox, sx = 1, sy = 1): string {
  const f = (v: number) => Number(v.toFixed(2)).toString()
  return [
    frame,
    box.id,
    f(box.x * sx),
    f(box.y * sy),
    f(box.w * sx),
    f(box.h * sy),
    f(box.score),
    -1,
    -1,
    -1,
  ].join(',')
}

export type MotRow = { frame: number; id: number; x: number; y: number; w: number; h: number }

/** Parses MOT lines (ground truth or results) back into rows. */
export function parseMot(text: string): MotRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [frame, id, x, y, w, h] = line.split(',').map(Number) as number[]
      return {
        frame: frame as number,
        id: id as number,
        x: x as number,
        y: y as number,
        w: w as number,
        h: h as number,
      }
    })
}
