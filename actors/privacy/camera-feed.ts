/**
 * One camera inside the privacy actor: each frame's detector boxes padded,
 * the frame scrambled in place under the camera's current epoch (rotated
 * every `epochFrames` frames, the epoch persisted before use), the person
 * boxes tracked (SORT) for range queries, and the last `keepFrames`
 * scrambled frames with their sidecars and rendered PNGs (per view mask).
 */
import { type Box, createSortTracker, type TrackedBox } from '../surveillance/index.ts'
import { type CameraKeyStore, openCameraKeyStore } from './key-store.ts'
import { padRegions, type RegionBox } from './pad-regions.ts'
import type { PrivacyCamera } from './privacy-protocol.ts'
import { scrambleFrame } from './scramble-frame.ts'
import type { Sidecar } from './sidecar.ts'

export type StoredFrame = {
  /** Frame number since the actor started (what viewers resume from). */
  readonly n: number
  readonly t: number
  readonly pixels: Uint8Array
  readonly sidecar: Sidecar
  /** Rendered PNG per view mask. */
  readonly pngs: Map<number, Uint8Array>
}

export type TrackSample = {
  readonly t: number
  readonly seq: number
  readonly tracks: TrackedBox[]
}

export type CameraFeedOptions = {
  readonly keyDir: string
  readonly pad: { fraction: number; pixels: number }
  readonly epochFrames: number
  readonly keepFrames: number
  readonly trackHistoryMs: number
}

/** The feed of `camera`: opens its key store. */
export function createCameraFeed(camera: PrivacyCamera, options: CameraFeedOptions) {
  const keys: CameraKeyStore = openCameraKeyStore(options.keyDir, camera.id)
  const frames: StoredFrame[] = []
  const tracks: TrackSample[] = []
  const tracker = createSortTracker()
  let epoch = -1
  let inEpoch = options.epochFrames
  let n = 0

  return {
    camera,
    keys,
    get epoch() {
      return epoch
    },
    latest: (): StoredFrame | undefined => frames[frames.length - 1],
    frame: (at: number) => frames.find((f) => f.n === at),
    /** Frames in [from, to] (unix ms) that have tracks. */
    tracks: (from: number, to: number) =>
      tracks.filter((s) => s.t >= from && s.t <= to && s.tracks.length > 0),
    /** Scrambles `pixels` (RGB, width × height) in place and keeps it. */
    ingest(pixels: Uint8Array, t: number, faces: readonly Box[], persons: readonly Box[]) {
      if (inEpoch >= options.epochFrames) {
        epoch = keys.nextEpoch()
        inEpoch = 0
      }
      const boxes: RegionBox[] = [
        ...faces.map((b) => ({ attribute: 'faces' as const, x: b.x, y: b.y, w: b.w, h: b.h })),
        ...persons.map((b) => ({ attribute: 'people' as const, x: b.x, y: b.y, w: b.w, h: b.h })),
      ]
      const regions = padRegions(boxes, camera.width, camera.height, options.pad)
      const frame = { width: camera.width, height: camera.height, channels: 3 as const, pixels }
      const sidecar = scrambleFrame(frame, regions, (a) => keys.key(epoch, a), {
        camera: camera.id,
        epoch,
        seq: inEpoch,
        t,
      })
      inEpoch += 1
      n += 1
      const stored: StoredFrame = { n, t, pixels, sidecar, pngs: new Map() }
      frames.push(stored)
      if (frames.length > options.keepFrames) frames.shift()
      tracks.push({ t, seq: n, tracks: tracker.update(persons) })
      while (tracks.length > 0 && (tracks[0] as TrackSample).t < t - options.trackHistoryMs)
        tracks.shift()
      return stored
    },
  }
}

export type CameraFeed = ReturnType<typeof createCameraFeed>
