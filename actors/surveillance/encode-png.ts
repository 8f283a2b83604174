/**
 * The one PNG encoder (8-bit RGB, filter 0, zlib at `level`): frames with
 * boxes drawn for eyeballing (`vigil surveil track --render`), and the viewer
 * API's frames (actors/privacy), where lossless matters: a frame a viewer may
 * see clear arrives bit-identical. The privacy actor uses level 0 (stored):
 * deflating costs ~6× more CPU and scrambled regions are noise that no level
 * shrinks.
 */
import { deflateSync } from 'node:zlib'

const SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(new TextEncoder().encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, Bun.hash.crc32(out.subarray(4, 8 + data.length)) >>> 0)
  return out
}

/** Encodes `width × height` RGB bytes as a PNG file. */
export function encodePng(
  rgb: Uint8Array,
  width: number,
  height: number,
  level = 6,
): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header.set([8, 2, 0, 0, 0], 8)
  const stride = width * 3
  const raw = new Uint8Array(height * (stride + 1))
  for (let y = 0; y < height; y++)
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1)
  const parts = [
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level })),
    chunk('IEND', new Uint8Array()),
  ]
  return new Uint8Array(Bun.concatArrayBuffers(parts))
}
