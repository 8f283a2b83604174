/**
 * Offline detection + tracking over a video file: decode (ffmpeg), detect
 * people (blobs or the learned detector), track with SORT, and collect MOT lines in the original video's
 * pixel coordinates plus a summary (tracks, frames/s).
 */
import type { BlobDetectorOptions } from './blob-detector.ts'
import { formatMotLine } from './format-mot.ts'
import { createFrameDetector, type DetectorKind } from './frame-detector.ts'
import { probeVideoSize, readVideoFrames } from './read-video-frames.ts'
import { createSortTracker, type SortOptions, type TrackedBox } from './sort-tracker.ts'

export type TrackVideoOptions = {
  /** Processing width in pixels (the height keeps the aspect ratio); default 384. */
  width?: number
  maxFrames?: number | undefined
  /** Which person detector; default `blobs`. */
  detectorKind?: DetectorKind
  detector?: BlobDetectorOptions
  sort?: SortOptions
  /** Called for every frame with its reported tracks (processing coordinates). */
  onFrame?: (
    frame: { index: number; pixels: Uint8Array; width: number; height: number; channels: 1 | 3 },
    tracks: TrackedBox[],
  ) => void
}

export type TrackVideoSummary = {
  frames: number
  tracks: number
  /** Track ids that were reported at least once. */
  reportedTracks: number
  motLines: number
  fps: number
  width: number
  height: number
  processingWidth: number
  processingHeight: number
  /** Mean reported length of a track, in frames. */
  meanTrackFrames: number
  detector: DetectorKind
  /** Faces found by the learned detector over all frames (0 for blobs). */
  faces: number
}

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2)

/** Runs the detector → SORT pipeline over `input`; returns MOT lines and the summary. */
export async function trackVideo(
  input: string,
  options: TrackVideoOptions = {},
): Promise<{ lines: string[]; summary: TrackVideoSummary }> {
  const size = await probeVideoSize(input)
  const width = even(Math.min(options.width ?? 384, size.width))
  const height = even((size.height * width) / size.width)
  const sx = size.width / width
  const sy = size.height / height
  const detector = await createFrameDetector(options.detectorKind ?? 'blobs', {
    blobs: options.detector,
  })
  const tracker = createSortTracker(options.sort)
  const lines: string[] = []
  const lengths = new Map<number, number>()
  const started = performance.now()
  let frames = 0
  let faces = 0
  for await (const frame of readVideoFrames(input, {
    width,
    height,
    maxFrames: options.maxFrames,
    pixelFormat: detector.pixelFormat,
  })) {
    frames = frame.index
    const found = await detector.detect(frame)
    faces += found.faces.length
    const tracks = tracker.update(found.persons)
    for (const t of tracks) {
      lines.push(formatMotLine(frame.index, t, sx, sy))
      lengths.set(t.id, (lengths.get(t.id) ?? 0) + 1)
    }
    options.onFrame?.(frame, tracks)
  }
  const seconds = (performance.now() - started) / 1000
  const total = [...lengths.values()].reduce((a, b) => a + b, 0)
  return {
    lines,
    summary: {
      frames,
      tracks: tracker.created,
      reportedTracks: lengths.size,
      motLines: lines.length,
      fps: Number((frames / seconds).toFixed(1)),
      width: size.width,
      height: size.height,
      processingWidth: width,
      processingHeight: height,
      meanTrackFrames: lengths.size ? Number((total / lengths.size).toFixed(1)) : 0,
      detector: detector.kind,
      faces,
    },
  }
}
