/**
 * One interface over both person detectors, selectable per camera: `blobs`
 * (background subtraction on grey frames, synchronous, no weights) or
 * `learned` (CenterNet + BlazeFace from `@vladmandic/human` on WASM, rgb24
 * frames, also returns faces). Callers decode in `pixelFormat`.
 */
import { type BlobDetectorOptions, createBlobDetector, type Detection } from './blob-detector.ts'
import type { Box } from './box.ts'
import { createLearnedDetector, type LearnedDetectorOptions } from './learned-detector.ts'
import type { VideoFrame } from './video-frame.ts'

export type DetectorKind = 'blobs' | 'learned'
export const detectorKinds: readonly DetectorKind[] = ['blobs', 'learned']

export type FrameDetections = { persons: Detection[]; faces: (Box & { score: number })[] }

export type FrameDetector = {
  readonly kind: DetectorKind
  readonly pixelFormat: 'gray' | 'rgb24'
  detect(frame: VideoFrame): Promise<FrameDetections>
}

export type FrameDetectorOptions = {
  blobs?: BlobDetectorOptions | undefined
  learned?: LearnedDetectorOptions | undefined
}

/** Creates the detector of `kind` (the learned one loads its models from disk first). */
export async function createFrameDetector(
  kind: DetectorKind,
  options: FrameDetectorOptions = {},
): Promise<FrameDetector> {
  if (kind === 'learned') {
    const learned = await createLearnedDetector(options.learned)
    return { kind, pixelFormat: 'rgb24', detect: (frame) => learned.detect(frame) }
  }
  const blobs = createBlobDetector(options.blobs)
  return {
    kind,
    pixelFormat: 'gray',
    detect: async (frame) => ({ persons: blobs.detect(frame), faces: [] }),
  }
}
