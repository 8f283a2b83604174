/**
 * The features actor (edge): keeps each track's sliding window of
 * positions, computes its movement features every `everySeconds` (and the
 * restricted zones its feet are in), records them through the integrity
 * service and sends them to the fog decision actor.
 */
import { defineActor } from '../../runtime/index.ts'
import {
  type FeaturesArgs,
  featuresArgs,
  featuresProtocol,
  type IntegrityRecord,
} from './protocol.ts'
import { restrictedZonesAt, type TrackPoint, trackFeatures } from './track-features.ts'

type Window = { points: TrackPoint[]; lastEmit: number }
type State = { args: ReturnType<typeof featuresArgs.parse>; windows: Map<string, Window> }

/** `surveil-features`: per-track features for the cameras of its edge host. */
export const featuresActor = defineActor<State, typeof featuresProtocol, FeaturesArgs>({
  name: 'surveil-features',
  version: 1,
  protocol: featuresProtocol,
  init: (raw) => ({ args: featuresArgs.parse(raw), windows: new Map() }),
  receive: {
    'features.observe': (p, state, ctx) => {
      const { args } = state
      let emitted = 0
      for (const track of p.tracks) {
        const key = `${p.cameraId}:${track.id}`
        const window = state.windows.get(key) ?? { points: [], lastEmit: p.t }
        state.windows.set(key, window)
        window.points.push({
          t: p.t,
          cx: track.x + track.w / 2,
          cy: track.y + track.h / 2,
          h: track.h,
        })
        while ((window.points[0] as TrackPoint).t < p.t - args.windowSeconds) window.points.shift()
        if (p.t - window.lastEmit < args.everySeconds) continue
        window.lastEmit = p.t
        const features = trackFeatures(window.points, args.zones)
        const feet = { x: track.x + track.w / 2, y: track.y + track.h }
        const sample = {
          cameraId: p.cameraId,
          trackId: track.id,
          t: p.t,
          decodedAtMs: p.decodedAtMs,
          features,
          restrictedZones: restrictedZonesAt(feet, args.zones),
        }
        ctx.tell(args.decisionActor, 'decision.evaluate', sample)
        if (args.integrityActor) {
          const record: IntegrityRecord = {
            kind: 'surveillance.features',
            key: `${key}:${p.t}`,
            data: sample,
          }
          ctx.tell(args.integrityActor, 'integrity.record', record)
        }
        emitted += 1
      }
      return { emitted }
    },
  },
})
