/**
 * The camera actor (edge): decodes its ffmpeg input to grey frames and runs
 * the blob detector in its own worker, so a frame never crosses a thread
 * (zero copies after the pipe); only detections (a few numbers per person)
 * go to the tracker. A stream that ends, stalls out or fails is restarted
 * with doubling backoff (counted, logged) when `loop` is set.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { createBlobDetector } from './blob-detector.ts'
import { type CameraArgs, cameraArgs, cameraProtocol } from './protocol.ts'
import { readVideoFrames } from './read-video-frames.ts'

type State = {
  args: ReturnType<typeof cameraArgs.parse>
  frames: number
  restarts: number
  ended: boolean
  lastError: string | null
  stop: boolean
}

async function playOnce(state: State, ctx: ActorContext): Promise<void> {
  const { args } = state
  const detector = createBlobDetector()
  const frames = readVideoFrames(args.input, {
    width: args.width,
    height: args.height,
    fps: args.fps,
    realtime: args.realtime,
    maxFrames: args.maxFrames,
  })
  for await (const frame of frames) {
    if (state.stop) return
    const decodedAtMs = Date.now()
    state.frames += 1
    const detections = detector.detect(frame)
    const t = frame.index / (args.fps ?? 10)
    await ctx.ask(
      args.trackerActor,
      'tracker.update',
      { cameraId: args.cameraId, frame: frame.index, t, decodedAtMs, detections },
      { timeoutMs: 10_000 },
    )
  }
}

async function pump(state: State, ctx: ActorContext): Promise<void> {
  let backoff = state.args.backoffMinMs
  for (;;) {
    try {
      await playOnce(state, ctx)
      backoff = state.args.backoffMinMs
    } catch (error) {
      state.lastError = error instanceof Error ? error.message : String(error)
      ctx.log('camera.stream_failed', { cameraId: state.args.cameraId, error: state.lastError })
    }
    if (state.stop || !state.args.loop) break
    state.restarts += 1
    ctx.log('camera.restart', {
      cameraId: state.args.cameraId,
      restarts: state.restarts,
      backoffMs: backoff,
    })
    await new Promise((resolve) => setTimeout(resolve, backoff))
    backoff = Math.min(backoff * 2, state.args.backoffMaxMs)
  }
  state.ended = true
}

/** `surveil-camera`: one per camera, on the camera's edge host. */
export const cameraActor = defineActor<State, typeof cameraProtocol, CameraArgs>({
  name: 'surveil-camera',
  version: 1,
  protocol: cameraProtocol,
  init: (raw, ctx) => {
    const state: State = {
      args: cameraArgs.parse(raw),
      frames: 0,
      restarts: 0,
      ended: false,
      lastError: null,
      stop: false,
    }
    void pump(state, ctx)
    return state
  },
  receive: {
    'camera.stats': (_payload, s) => ({
      cameraId: s.args.cameraId,
      frames: s.frames,
      restarts: s.restarts,
      ended: s.ended,
      lastError: s.lastError,
    }),
  },
  terminate: (state) => {
    state.stop = true
  },
})
