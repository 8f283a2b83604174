/**
 * Test helper: decodes the PNGs the viewer API sends (8-bit RGB, any of the
 * five scanline filters) back to raw RGB bytes, so tests compare pixels.
 */
import { inflateSync } from 'node:zlib'

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

function unfilter(raw: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3
  const out = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)] as number
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? (out[y * stride + i - 3] as number) : 0
      const b = y > 0 ? (out[(y - 1) * stride + i] as number) : 0
      const c = i >= 3 && y > 0 ? (out[(y - 1) * stride + i - 3] as number) : 0
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type] ?? 0
      out[y * stride + i] = ((line[i] as number) + predictor) & 0xff
    }
  }
  return out
}

/** `{width, height, pixels}` of an 8-bit RGB PNG. */
export function decodePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let offset = 8
  let width = 0
  let height = 0
  const idat: Uint8Array[] = []
  while (offset < png.length) {
    const length = view.getUint32(offset)
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8))
    const data = png.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8)
      height = view.getUint32(offset + 12)
      if (data[8] !== 8 || data[9] !== 2) throw new Error('only 8-bit RGB PNGs are decoded here')
    }
    if (type === 'IDAT') idat.push(data)
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  return { width, height, pixels: unfilter(new Uint8Array(raw), width, height) }
}
