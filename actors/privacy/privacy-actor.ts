/**
 * The privacy service on the edge host (issue 16): per camera, frames are
 * scrambled in place at ingest (faces and people, AES-256-GCM under
 * per-camera per-epoch HKDF keys from the host's key store), kept as
 * scrambled frames with sidecars, and shown to each viewer with exactly the
 * attributes the PrivacyPolicy mirror and the viewer's capability allow.
 * Releases (keys, or clear frames once per viewer, camera, epoch and view)
 * are recorded on the ledger through the integrity actor before they are
 * answered. See docs/privacy.md.
 */
import { join } from 'node:path'
import type { z } from 'zod'
import { type ActorContext, defineActor, parseConfig } from '../../runtime/index.ts'
import { encodePng } from '../surveillance/index.ts'
import { runCameraCapture } from './camera-capture.ts'
import { type CameraFeed, createCameraFeed, type StoredFrame } from './camera-feed.ts'
import { PrivacyNotAllowedError, PrivacyNotFoundError } from './errors.ts'
import { keyIdOf } from './key-store.ts'
import { privacyArgsSchema, privacyProtocol } from './privacy-protocol.ts'
import { createReleaseLog, type ReleaseLog } from './release-log.ts'
import { unscrambleFrame } from './unscramble-frame.ts'
import { createViewerAccess, decideViewNow, type ViewDecision } from './viewer-access.ts'

export type PrivacyState = {
  readonly args: z.output<typeof privacyArgsSchema>
  readonly feeds: ReadonlyMap<string, CameraFeed>
  readonly access: ReturnType<typeof createViewerAccess>
  readonly releases: ReleaseLog
  /** viewer, camera, epoch, mask of the clear-frame releases already recorded. */
  readonly released: Set<string>
  readonly stop: AbortController
}

function feedOf(state: PrivacyState, cameraId: string): CameraFeed {
  const feed = state.feeds.get(cameraId)
  if (!feed)
    throw new PrivacyNotFoundError(
      `no camera ${cameraId} on this privacy service; cameras: ${[...state.feeds.keys()].join(', ')}`,
    )
  return feed
}

const attributesOf = (decision: ViewDecision) => ({
  faces: decision.clear.includes('faces') ? ('clear' as const) : ('scrambled' as const),
  people: decision.clear.includes('people') ? ('clear' as const) : ('scrambled' as const),
})

function render(state: PrivacyState, feed: CameraFeed, frame: StoredFrame, view: ViewDecision) {
  const cached = frame.pngs.get(view.mask)
  if (cached) return cached
  const { width, height } = feed.camera
  let pixels = frame.pixels
  if (view.mask !== 0) {
    const keys = Object.fromEntries(
      view.clear.map((a) => [a, feed.keys.key(frame.sidecar.epoch, a)]),
    )
    pixels = unscrambleFrame(
      { width, height, channels: 3, pixels },
      frame.sidecar,
      keys,
      view.clear,
    ).pixels
  }
  const png = encodePng(pixels, width, height, state.args.pngLevel)
  frame.pngs.set(view.mask, png)
  return png
}

/** Records the first clear frame a viewer gets of a camera per epoch and view. */
async function auditFrames(
  state: PrivacyState,
  context: ActorContext,
  feed: CameraFeed,
  frame: StoredFrame,
  view: ViewDecision,
) {
  const viewer = context.caller?.id
  if (view.mask === 0 || viewer === undefined) return
  const key = `${viewer} ${feed.camera.id} ${frame.sidecar.epoch} ${view.mask}`
  if (state.released.has(key)) return
  await state.releases.record(context, {
    viewer,
    camera: feed.camera.id,
    epoch: frame.sidecar.epoch,
    attributes: view.clear,
    kind: 'frames',
  })
  if (state.released.size > 100_000) state.released.clear()
  state.released.add(key)
}

async function releaseKeys(
  state: PrivacyState,
  context: ActorContext,
  feed: CameraFeed,
  epoch: number,
) {
  if (epoch > feed.epoch)
    throw new PrivacyNotFoundError(
      `epoch ${epoch} of ${feed.camera.id} has not begun (now ${feed.epoch})`,
    )
  const viewer = context.caller?.id ?? 'nobody'
  const view = await decideViewNow(
    context,
    viewAccessOptions(state),
    context.caller,
    feed.camera.account,
  )
  if (view.clear.length === 0)
    throw new PrivacyNotAllowedError(
      `${viewer} may see no attribute of camera ${feed.camera.id} clear (PrivacyPolicy and /privacy/<attribute> read rights)`,
    )
  const entry = await state.releases.record(context, {
    viewer,
    camera: feed.camera.id,
    epoch,
    attributes: view.clear,
    kind: 'keys',
  })
  const keys: Record<string, string> = {}
  const keyIds: Record<string, string> = {}
  for (const a of view.clear) {
    keys[a] = Buffer.from(feed.keys.key(epoch, a)).toString('base64')
    keyIds[a] = keyIdOf(feed.camera.id, epoch, a)
  }
  return { releaseId: entry.id, keys, keyIds }
}

const viewAccessOptions = (state: PrivacyState) => ({
  policyActor: state.args.policyActor,
  accessActor: state.args.accessActor,
  cacheMs: state.args.policyCacheMs,
})

export const privacyActor = defineActor<PrivacyState, typeof privacyProtocol, unknown>({
  name: 'privacy',
  version: 1,
  protocol: privacyProtocol,

  init(rawArgs, context) {
    const args = parseConfig(privacyArgsSchema, rawArgs, 'privacy init arguments')
    const options = {
      keyDir: args.keyDir,
      pad: { fraction: args.padFraction, pixels: args.padPixels },
      epochFrames: args.epochFrames,
      keepFrames: args.keepFrames,
      trackHistoryMs: args.trackHistoryMs,
    }
    const feeds = new Map(args.cameras.map((c) => [c.id, createCameraFeed(c, options)]))
    const stop = new AbortController()
    for (const feed of feeds.values()) void runCameraCapture(feed, stop.signal, context.log)
    const releases = createReleaseLog({
      file: join(args.keyDir, 'releases.jsonl'),
      hostId: args.hostId,
      integrityActor: args.integrityActor,
    })
    const access = createViewerAccess({
      policyActor: args.policyActor,
      accessActor: args.accessActor,
      cacheMs: args.policyCacheMs,
    })
    return { args, feeds, access, releases, released: new Set<string>(), stop }
  },

  terminate(state) {
    state.stop.abort()
  },

  receive: {
    async 'privacy.cameras'(_payload, state, context) {
      const cameras = []
      for (const feed of state.feeds.values()) {
        const view = await state.access.decide(context, context.caller, feed.camera.account)
        const latestSeq = feed.latest()?.n ?? 0
        cameras.push({
          id: feed.camera.id,
          host: state.args.hostId,
          latestSeq,
          attributes: attributesOf(view),
        })
      }
      return { cameras }
    },

    async 'privacy.view'({ cameraId, afterSeq }, state, context) {
      const feed = feedOf(state, cameraId)
      const frame = feed.latest()
      if (!frame) throw new PrivacyNotFoundError(`no frame of camera ${cameraId} yet`)
      const view = await state.access.decide(context, context.caller, feed.camera.account)
      const head = { seq: frame.n, t: frame.t, attributes: attributesOf(view), mask: view.mask }
      if (afterSeq !== undefined && frame.n <= afterSeq) return { ...head, png: null }
      await auditFrames(state, context, feed, frame, view)
      return { ...head, png: render(state, feed, frame, view) }
    },

    async 'privacy.watch'({ cameraId }, state, context) {
      const feed = feedOf(state, cameraId)
      const frame = feed.latest()
      if (!frame) throw new PrivacyNotFoundError(`no frame of camera ${cameraId} yet`)
      const view = await state.access.decide(context, context.caller, feed.camera.account)
      await auditFrames(state, context, feed, frame, view)
      return { seq: frame.n, attributes: attributesOf(view), mask: view.mask }
    },

    'privacy.frame'({ cameraId, seq }, state) {
      const feed = feedOf(state, cameraId)
      const frame = seq === undefined ? feed.latest() : feed.frame(seq)
      if (!frame)
        throw new PrivacyNotFoundError(`no frame ${seq ?? 'yet'} of camera ${cameraId} kept`)
      return { pixels: frame.pixels, sidecar: frame.sidecar }
    },

    'privacy.keys': ({ cameraId, epoch }, state, context) =>
      releaseKeys(state, context, feedOf(state, cameraId), epoch),

    'privacy.ingest'({ cameraId, t, pixels, faces, persons }, state, context) {
      const feed = feedOf(state, cameraId)
      const stored = feed.ingest(pixels.slice(), t ?? context.clock.now(), faces, persons)
      return { seq: stored.n, epoch: stored.sidecar.epoch, regions: stored.sidecar.regions.length }
    },

    'privacy.tracks': ({ cameraId, from, to }, state) => ({
      tracks: feedOf(state, cameraId).tracks(from, to),
    }),

    'privacy.releases': (_payload, state) => ({ releases: state.releases.recent() }),
  },
})
