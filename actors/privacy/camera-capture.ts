/**
 * Decodes a camera's ffmpeg input (rgb24) inside the privacy actor, runs its
 * detector on each frame (blobs on the grey image: people; learned: people
 * and faces) and hands the frame to its feed, which scrambles it in place.
 * Restarts the input when it ends (`loop`) or fails (after a pause), until
 * `signal` aborts.
 */
import { createFrameDetector, readVideoFrames, type VideoFrame } from '../surveillance/index.ts'
import type { CameraFeed } from './camera-feed.ts'

const RETRY_MS = 1_000

function grey(frame: VideoFrame): VideoFrame {
  const rgb = frame.pixels
  const out = new Uint8Array(frame.width * frame.height)
  for (let i = 0, j = 0; i < out.length; i++, j += 3)
    out[i] =
      ((rgb[j] as number) * 77 + (rgb[j + 1] as number) * 150 + (rgb[j + 2] as number) * 29) >> 8
  return { ...frame, channels: 1, pixels: out }
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })

/** Runs until `signal` aborts (or the input ends without `loop`). */
export async function runCameraCapture(
  feed: CameraFeed,
  signal: AbortSignal,
  log: (event: string, data?: Record<string, unknown>) => void,
): Promise<void> {
  const { camera } = feed
  if (camera.input === undefined) return
  const detector = await createFrameDetector(camera.detector)
  while (!signal.aborted) {
    try {
      for await (const frame of readVideoFrames(camera.input, {
        width: camera.width,
        height: camera.height,
        fps: camera.fps,
        realtime: camera.realtime,
        pixelFormat: 'rgb24',
        signal,
      })) {
        const found = await detector.detect(detector.pixelFormat === 'gray' ? grey(frame) : frame)
        feed.ingest(frame.pixels, Date.now(), found.faces, found.persons)
      }
      if (!camera.loop) return
    } catch (error) {
      if (signal.aborted) return
      log('privacy_capture_failed', { camera: camera.id, code: (error as { code?: string }).code })
      await pause(RETRY_MS, signal)
    }
  }
}
