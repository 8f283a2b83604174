/**
 * The camera actor (edge): decodes its ffmpeg input (grey or rgb24) straight
 * into a slot of its detector's frame ring (frame-ring.ts: one copy out of
 * the pipe, none across the thread) and tells the detector which slot is
 * ready. Live input (`realtime`) drops a frame when every slot is still being
 * detected (counted); a file read as fast as possible waits instead.
 *
 * A stream that ends, stalls (no frame for `stallTimeoutMs`: ffmpeg is
 * killed) or fails (garbage, unreachable) is restarted with doubling backoff
 * when `loop` is set; restarts, stalls and the last error are counted and
 * logged. A failed detector call re-attaches the ring on the next start.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { awaitRingOffer, type FrameRing } from './frame-ring.ts'
import { type CameraArgs, cameraArgs, cameraProtocol } from './protocol.ts'
import { readVideoFrames } from './read-video-frames.ts'

type State = {
  args: ReturnType<typeof cameraArgs.parse>
  frames: number
  dropped: number
  restarts: number
  stalls: number
  ended: boolean
  lastError: string | null
  stop: boolean
  abort: AbortController | undefined
  ring: FrameRing | undefined
  /** Per slot: the detector call still reading it. */
  pending: (Promise<void> | undefined)[]
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function attach(state: State, ctx: ActorContext): Promise<FrameRing> {
  const { args } = state
  const nonce = crypto.randomUUID()
  const offer = awaitRingOffer(args.detectorActor, nonce, 15_000)
  try {
    await ctx.ask(args.detectorActor, 'detector.attach', {
      cameraId: args.cameraId,
      nonce,
      width: args.width,
      height: args.height,
      channels: args.pixelFormat === 'rgb24' ? 3 : 1,
      slots: args.ringSlots,
    })
  } catch (error) {
    offer.close()
    throw error
  }
  const ring = await offer.ring
  state.pending = Array.from({ length: ring.slots }, () => undefined)
  return ring
}

function sendFrame(state: State, ctx: ActorContext, slot: number, index: number): void {
  const { args } = state
  const payload = {
    cameraId: args.cameraId,
    slot,
    frame: index,
    t: index / (args.fps ?? 10),
    decodedAtMs: Date.now(),
  }
  state.pending[slot] = ctx
    .ask(args.detectorActor, 'detector.frame', payload, { timeoutMs: 30_000 })
    .then(
      () => undefined,
      (error: unknown) => {
        state.lastError = errorText(error)
        ctx.log('camera.detector_failed', { cameraId: args.cameraId, error: state.lastError })
        state.ring = undefined
        state.abort?.abort('the detector call failed')
      },
    )
    .finally(() => {
      state.pending[slot] = undefined
    })
}

async function playOnce(state: State, ctx: ActorContext): Promise<void> {
  const { args } = state
  state.ring ??= await attach(state, ctx)
  const ring = state.ring
  const scratch = new Uint8Array(ring.slotBytes)
  const abort = new AbortController()
  state.abort = abort
  let next = 0
  let filling = -1
  const stalled = () => {
    state.stalls += 1
    abort.abort(`no frame for ${args.stallTimeoutMs} ms (stalled)`)
  }
  let watchdog = ctx.clock.setTimeout(stalled, args.stallTimeoutMs)
  const frames = readVideoFrames(args.input, {
    width: args.width,
    height: args.height,
    fps: args.fps,
    realtime: args.realtime,
    maxFrames: args.maxFrames,
    pixelFormat: args.pixelFormat,
    signal: abort.signal,
    frameBuffer: () => {
      if (state.pending[next]) {
        filling = -1
        return scratch
      }
      filling = next
      next = (next + 1) % ring.slots
      return ring.slot(filling)
    },
  })
  try {
    for await (const frame of frames) {
      ctx.clock.clearTimeout(watchdog)
      watchdog = ctx.clock.setTimeout(stalled, args.stallTimeoutMs)
      if (state.stop) return
      state.frames += 1
      if (filling < 0) state.dropped += 1
      else sendFrame(state, ctx, filling, frame.index)
      // A file read as fast as possible waits for the slot it fills next; live input drops.
      if (!args.realtime) await state.pending[next]
    }
  } finally {
    ctx.clock.clearTimeout(watchdog)
    await Promise.all(state.pending)
  }
}

async function pump(state: State, ctx: ActorContext): Promise<void> {
  let backoff = state.args.backoffMinMs
  for (;;) {
    try {
      await playOnce(state, ctx)
      backoff = state.args.backoffMinMs
    } catch (error) {
      state.lastError = errorText(error)
      ctx.log('camera.stream_failed', { cameraId: state.args.cameraId, error: state.lastError })
    }
    if (state.stop || !state.args.loop) break
    state.restarts += 1
    ctx.log('camera.restart', {
      cameraId: state.args.cameraId,
      restarts: state.restarts,
      backoffMs: backoff,
    })
    await new Promise<void>((resolve) => ctx.clock.setTimeout(resolve, backoff))
    backoff = Math.min(backoff * 2, state.args.backoffMaxMs)
  }
  state.ended = true
}

/** `surveil-camera`: one per camera, on the camera's edge host (with its detector). */
export const cameraActor = defineActor<State, typeof cameraProtocol, CameraArgs>({
  name: 'surveil-camera',
  version: 1,
  protocol: cameraProtocol,
  init: (raw, ctx) => {
    const state: State = {
      args: cameraArgs.parse(raw),
      frames: 0,
      dropped: 0,
      restarts: 0,
      stalls: 0,
      ended: false,
      lastError: null,
      stop: false,
      abort: undefined,
      ring: undefined,
      pending: [],
    }
    void pump(state, ctx)
    return state
  },
  receive: {
    'camera.stats': (_payload, s) => ({
      cameraId: s.args.cameraId,
      frames: s.frames,
      dropped: s.dropped,
      restarts: s.restarts,
      stalls: s.stalls,
      ended: s.ended,
      lastError: s.lastError,
    }),
  },
  terminate: (state) => {
    state.stop = true
    state.abort?.abort('the camera actor stopped')
  },
})
