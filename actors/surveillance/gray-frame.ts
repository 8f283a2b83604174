/** One decoded grayscale frame: `width × height` bytes, row-major, 1-based frame index. */
export type GrayFrame = {
  readonly index: number
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
}
