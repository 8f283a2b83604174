/**
 * Copies a rectangle of an interleaved frame into one contiguous buffer and
 * back, row by row: the bytes one AES-GCM operation covers.
 */
import type { RegionBox } from './pad-regions.ts'

/** A frame as the privacy service handles it: row-major interleaved bytes. */
export type PixelFrame = {
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3
  readonly pixels: Uint8Array
}

/** Bytes of `box` in a frame with `channels` channels. */
export const regionLength = (box: RegionBox, channels: number) => box.w * box.h * channels

/** Copies the rows of `box` into `out` (at least regionLength bytes); returns the filled view. */
export function gatherRegion(frame: PixelFrame, box: RegionBox, out: Uint8Array): Uint8Array {
  const rowBytes = box.w * frame.channels
  const stride = frame.width * frame.channels
  for (let row = 0; row < box.h; row++) {
    const start = (box.y + row) * stride + box.x * frame.channels
    out.set(frame.pixels.subarray(start, start + rowBytes), row * rowBytes)
  }
  return out.subarray(0, box.h * rowBytes)
}

/** Writes `bytes` (regionLength bytes) back into the rows of `box`. */
export function scatterRegion(frame: PixelFrame, box: RegionBox, bytes: Uint8Array): void {
  const rowBytes = box.w * frame.channels
  const stride = frame.width * frame.channels
  for (let row = 0; row < box.h; row++) {
    const start = (box.y + row) * stride + box.x * frame.channels
    frame.pixels.set(bytes.subarray(row * rowBytes, (row + 1) * rowBytes), start)
  }
}
