/**
 * One decoded frame of any pixel format: `width × height × channels` bytes,
 * row-major (grey: 1 channel; rgb24: 3, interleaved), 1-based frame index.
 */
export type VideoFrame = {
  readonly index: number
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3
  readonly pixels: Uint8Array
}
