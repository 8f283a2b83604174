/**
 * Test helpers: a textured synthetic RGB frame (smooth gradients plus a
 * deterministic pattern, so regions have structure a weak scrambler would
 * leak), and the measures the tests use to say "no original pattern
 * survives": Pearson correlation and shared 8-byte windows.
 */
import type { PixelFrame } from '../region-bytes.ts'

/** A `width × height` RGB frame whose content depends on `seed`. */
export function syntheticFrame(width: number, height: number, seed = 1): PixelFrame {
  const pixels = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      pixels[i] = (x * 255) / width + seed
      pixels[i + 1] = (y * 255) / height
      pixels[i + 2] = ((x >> 3) ^ (y >> 3)) & 1 ? 200 : 40 + seed
    }
  }
  return { width, height, channels: 3, pixels }
}

/** The bytes of a rectangle of an RGB frame, row after row. */
export function regionOf(
  frame: { width: number; pixels: Uint8Array },
  box: { x: number; y: number; w: number; h: number },
): Uint8Array {
  const out = new Uint8Array(box.w * box.h * 3)
  for (let row = 0; row < box.h; row++) {
    const start = ((box.y + row) * frame.width + box.x) * 3
    out.set(frame.pixels.subarray(start, start + box.w * 3), row * box.w * 3)
  }
  return out
}

/** Pearson correlation of two equal-length byte arrays. */
export function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length
  let sa = 0
  let sb = 0
  for (let i = 0; i < n; i++) {
    sa += a[i] as number
    sb += b[i] as number
  }
  const ma = sa / n
  const mb = sb / n
  let cov = 0
  let va = 0
  let vb = 0
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    cov += da * db
    va += da * da
    vb += db * db
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb)
}

/** How many 8-byte windows of `scrambled` occur anywhere in `original`. */
export function sharedWindows(original: Uint8Array, scrambled: Uint8Array): number {
  const seen = new Set<string>()
  for (let i = 0; i + 8 <= original.length; i++)
    seen.add(Buffer.from(original.subarray(i, i + 8)).toString('latin1'))
  let shared = 0
  for (let i = 0; i + 8 <= scrambled.length; i++)
    if (seen.has(Buffer.from(scrambled.subarray(i, i + 8)).toString('latin1'))) shared++
  return shared
}
