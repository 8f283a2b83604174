/**
 * The surveillance pipeline as one placement spec: per camera, the camera,
 * detector, tracker and features actors on the camera's edge host (labels
 * `camera: <id>`; the camera and its detector share a frame ring, so neither
 * may fall back to another host), and one decision actor on a fog host for
 * all cameras. The result is a list of actor specs a domain deploys
 * (runtime's DomainActorSpec shape); `vigil surveil run` runs the same list.
 */
import { join } from 'node:path'
import type { DomainActorSpec } from '../../runtime/index.ts'
import type { DetectorKind } from './frame-detector.ts'

export type SurveillanceCamera = {
  /** Camera id; also the `camera` label of its edge host. */
  id: string
  /** Any ffmpeg input. */
  input: string
  detector?: DetectorKind | undefined
  width?: number | undefined
  height?: number | undefined
  fps?: number | undefined
  /** Play a file at its native rate (a file acts as a camera); default true. */
  realtime?: boolean | undefined
  /** Restart the input when it ends or fails; default true. */
  loop?: boolean | undefined
  maxFrames?: number | undefined
  /** Zones of this camera (polygons in decoded pixels; `restricted` ones raise intrusions). */
  zones?: unknown[] | undefined
}

export type SurveillanceSpecOptions = {
  cameras: readonly SurveillanceCamera[]
  /** Actor answering `integrity.record`; absent: nothing is recorded. */
  integrityActor?: string | undefined
  /** Fuzzy config for the decision actor; absent: the built-in one. */
  decisionConfig?: unknown
  /** Placement labels of camera `id`'s edge host; default `{ camera: id }`. */
  labelsOf?: ((cameraId: string) => Record<string, string>) | undefined
}

const here = import.meta.dir
const names = (id: string) => ({
  camera: `surveil-camera-${id}`,
  detector: `surveil-detector-${id}`,
  tracker: `surveil-tracker-${id}`,
  features: `surveil-features-${id}`,
})

/** The actor names of camera `id`'s edge actors. */
export const surveillanceActorNames = names

/** The name of the pipeline's fog decision actor. */
export const SURVEILLANCE_DECISION_ACTOR = 'surveil-decision'

function cameraActors(c: SurveillanceCamera, o: SurveillanceSpecOptions): DomainActorSpec[] {
  const n = names(c.id)
  const detector = c.detector ?? 'blobs'
  const edge = (fallback: 'none' | 'same-role') => ({
    role: 'edge' as const,
    labels: o.labelsOf?.(c.id) ?? { camera: c.id },
    fallback,
  })
  return [
    {
      name: n.camera,
      module: join(here, 'camera-actor.ts'),
      export: 'cameraActor',
      args: {
        cameraId: c.id,
        input: c.input,
        width: c.width ?? 384,
        height: c.height ?? 216,
        ...(c.fps ? { fps: c.fps } : {}),
        realtime: c.realtime ?? true,
        loop: c.loop ?? true,
        ...(c.maxFrames ? { maxFrames: c.maxFrames } : {}),
        detectorActor: n.detector,
        pixelFormat: detector === 'learned' ? 'rgb24' : 'gray',
      },
      placement: edge('none'),
    },
    {
      name: n.detector,
      module: join(here, 'detector-actor.ts'),
      export: 'detectorActor',
      args: { detector, trackerActor: n.tracker },
      // A learned detector takes most of a core.
      placement: { ...edge('none'), weight: detector === 'learned' ? 2 : 1 },
    },
    {
      name: n.tracker,
      module: join(here, 'tracker-actor.ts'),
      export: 'trackerActor',
      args: { featuresActor: n.features },
      placement: edge('same-role'),
    },
    {
      name: n.features,
      module: join(here, 'features-actor.ts'),
      export: 'featuresActor',
      args: {
        decisionActor: SURVEILLANCE_DECISION_ACTOR,
        zones: c.zones ?? [],
        ...(o.integrityActor ? { integrityActor: o.integrityActor } : {}),
      },
      placement: edge('same-role'),
    },
  ]
}

/** Every actor of the pipeline for `cameras`, edge actors per camera first, then the fog decision. */
export function surveillanceActors(options: SurveillanceSpecOptions): DomainActorSpec[] {
  return [
    ...options.cameras.flatMap((c) => cameraActors(c, options)),
    {
      name: SURVEILLANCE_DECISION_ACTOR,
      module: join(here, 'decision-actor.ts'),
      export: 'decisionActor',
      args: {
        ...(options.decisionConfig === undefined ? {} : { config: options.decisionConfig }),
        ...(options.integrityActor ? { integrityActor: options.integrityActor } : {}),
      },
      placement: { role: 'fog', fallback: 'any' },
    },
  ]
}
