/**
 * The detector actor (edge): person (and face) detection for the cameras of
 * its host, in its own worker so a learned detector gets its own core. Each
 * camera attaches once and gets a frame ring (frame-ring.ts) over a
 * BroadcastChannel; afterwards `detector.frame` names a slot, the detector
 * reads the frame in place (no copy), detects, and asks the tracker to
 * update. The reply frees the slot.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import type { Box } from './box.ts'
import { SurveilInvalidParameterError } from './errors.ts'
import { createFrameDetector, type FrameDetector } from './frame-detector.ts'
import { createFrameRing, type FrameRing, offerRing } from './frame-ring.ts'
import { type DetectorArgs, detectorArgs, detectorProtocol } from './protocol.ts'

type Camera = {
  ring: FrameRing
  width: number
  height: number
  channels: 1 | 3
  detector: FrameDetector
  frame: number
  faces: (Box & { score: number })[]
}
type State = {
  args: ReturnType<typeof detectorArgs.parse>
  cameras: Map<string, Camera>
  /** The learned detector is shared by cameras (its models load once); blobs keep per-camera state. */
  shared: FrameDetector | undefined
  frames: number
  detectMs: number[]
}

const KEEP_DURATIONS = 512

async function detectorFor(state: State): Promise<FrameDetector> {
  if (state.args.detector === 'blobs') return createFrameDetector('blobs')
  state.shared ??= await createFrameDetector('learned', {
    learned: {
      minScore: state.args.minScore,
      faces: state.args.faces,
      inputWidth: state.args.inputWidth,
    },
  })
  return state.shared
}

function cameraOf(state: State, cameraId: string): Camera {
  const camera = state.cameras.get(cameraId)
  if (!camera)
    throw new SurveilInvalidParameterError(
      `camera ${cameraId} sent a frame before detector.attach; attach first`,
    )
  return camera
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return Number((sorted[Math.floor(sorted.length / 2)] as number).toFixed(2))
}

/** `surveil-detector`: one per edge host (or per camera for a learned detector on its own core). */
export const detectorActor = defineActor<State, typeof detectorProtocol, DetectorArgs>({
  name: 'surveil-detector',
  version: 1,
  protocol: detectorProtocol,
  init: async (raw) => {
    const state: State = {
      args: detectorArgs.parse(raw),
      cameras: new Map(),
      shared: undefined,
      frames: 0,
      detectMs: [],
    }
    if (state.args.detector === 'learned') await detectorFor(state)
    return state
  },
  receive: {
    'detector.attach': async (p, state, ctx) => {
      const pixelFormat = p.channels === 3 ? 'rgb24' : 'gray'
      const detector = await detectorFor(state)
      if (detector.pixelFormat !== pixelFormat)
        throw new SurveilInvalidParameterError(
          `the ${detector.kind} detector reads ${detector.pixelFormat} frames, camera ${p.cameraId} decodes ${pixelFormat}; set the camera's pixelFormat to ${detector.pixelFormat}`,
        )
      const slotBytes = p.width * p.height * p.channels
      const ring = createFrameRing(p.slots, slotBytes)
      state.cameras.set(p.cameraId, {
        ring,
        width: p.width,
        height: p.height,
        channels: p.channels,
        detector,
        frame: 0,
        faces: [],
      })
      offerRing(ctx.self, p.nonce, ring)
      return { slotBytes }
    },
    'detector.frame': (p, state, ctx) => detectFrame(p, state, ctx),
    'detector.faces': (p, state) => {
      const camera = state.cameras.get(p.cameraId)
      return { frame: camera?.frame ?? 0, faces: camera?.faces ?? [] }
    },
    'detector.stats': (_p, state) => ({
      detector: state.args.detector,
      frames: state.frames,
      detectMsP50: median(state.detectMs),
    }),
  },
})

type FramePayload = {
  cameraId: string
  slot: number
  frame: number
  t: number
  decodedAtMs: number
}

async function detectFrame(p: FramePayload, state: State, ctx: ActorContext) {
  const camera = cameraOf(state, p.cameraId)
  if (p.slot >= camera.ring.slots)
    throw new SurveilInvalidParameterError(
      `slot ${p.slot} is outside camera ${p.cameraId}'s ring of ${camera.ring.slots}`,
    )
  const started = performance.now()
  const found = await camera.detector.detect({
    index: p.frame,
    width: camera.width,
    height: camera.height,
    channels: camera.channels,
    pixels: camera.ring.slot(p.slot),
  })
  state.detectMs.push(performance.now() - started)
  if (state.detectMs.length > KEEP_DURATIONS) state.detectMs.shift()
  state.frames += 1
  camera.frame = p.frame
  camera.faces = found.faces
  await ctx.ask(
    state.args.trackerActor,
    'tracker.update',
    {
      cameraId: p.cameraId,
      frame: p.frame,
      t: p.t,
      decodedAtMs: p.decodedAtMs,
      detections: found.persons,
    },
    { timeoutMs: 10_000 },
  )
  return { persons: found.persons.length, faces: found.faces.length }
}
