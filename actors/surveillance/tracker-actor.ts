/**
 * The tracker actor (edge): one SORT tracker per camera; forwards each
 * frame's reported tracks to the features actor.
 */
import { defineActor } from '../../runtime/index.ts'
import { type TrackerArgs, trackerArgs, trackerProtocol } from './protocol.ts'
import { createSortTracker, type SortTracker, type TrackedBox } from './sort-tracker.ts'

type Camera = { tracker: SortTracker; frame: number; tracks: TrackedBox[] }
type State = { args: ReturnType<typeof trackerArgs.parse>; cameras: Map<string, Camera> }

/** `surveil-tracker`: SORT for the cameras of its edge host. */
export const trackerActor = defineActor<State, typeof trackerProtocol, TrackerArgs>({
  name: 'surveil-tracker',
  version: 1,
  protocol: trackerProtocol,
  init: (raw) => ({ args: trackerArgs.parse(raw), cameras: new Map() }),
  receive: {
    'tracker.update': (p, state, ctx) => {
      let camera = state.cameras.get(p.cameraId)
      if (!camera) {
        camera = {
          tracker: createSortTracker({ maxAge: state.args.maxAge, minHits: state.args.minHits }),
          frame: 0,
          tracks: [],
        }
        state.cameras.set(p.cameraId, camera)
      }
      camera.frame = p.frame
      camera.tracks = camera.tracker.update(p.detections)
      ctx.tell(state.args.featuresActor, 'features.observe', {
        cameraId: p.cameraId,
        t: p.t,
        decodedAtMs: p.decodedAtMs,
        tracks: camera.tracks,
      })
      return { tracks: camera.tracks }
    },
    'tracker.tracks': (p, state) => {
      const camera = state.cameras.get(p.cameraId)
      return {
        frame: camera?.frame ?? 0,
        tracks: camera?.tracks ?? [],
        created: camera?.tracker.created ?? 0,
      }
    },
  },
})
