/**
 * The surveillance pipeline as one placement spec: per camera, the camera,
 * detector, tracker and features actors on the camera's edge host (labels
 * `camera: <id>`; the camera and its detector share a frame ring, so neither
 * may fall back to another host), and one decision actor on a fog host for
 * all cameras. The result is a list of actor specs a domain deploys
 * (runtime's DomainActorSpec shape); `vigil surveil run` runs the same list
 * on one local host, or (`--domain`) deploys it onto a running domain, whose
 * hosts list {@link surveillanceDeployables} under `deployable`: a deploy
 * then names each module by key (`moduleRefs: 'keys'`), never by path.
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
  /** `paths` (default): module files, for a local host or a config; `keys`: deployable keys, for a deploy onto a running domain. */
  moduleRefs?: 'paths' | 'keys' | undefined
}

const moduleFiles = {
  'surveillance/camera': 'camera-actor.ts',
  'surveillance/detector': 'detector-actor.ts',
  'surveillance/tracker': 'tracker-actor.ts',
  'surveillance/features': 'features-actor.ts',
  'surveillance/decision': 'decision-actor.ts',
} as const
type ModuleKey = keyof typeof moduleFiles

const here = import.meta.dir

/** The pipeline's modules by deployable key, for a host config's `deployable` map. */
export function surveillanceDeployables(): Record<ModuleKey, string> {
  return Object.fromEntries(
    Object.entries(moduleFiles).map(([key, file]) => [key, join(here, file)]),
  ) as Record<ModuleKey, string>
}

const moduleRef = (o: SurveillanceSpecOptions, key: ModuleKey) =>
  o.moduleRefs === 'keys' ? key : join(here, moduleFiles[key])
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
      module: moduleRef(o, 'surveillance/camera'),
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
      module: moduleRef(o, 'surveillance/detector'),
      export: 'detectorActor',
      args: { detector, trackerActor: n.tracker },
      // A learned detector takes most of a core.
      placement: { ...edge('none'), weight: detector === 'learned' ? 2 : 1 },
    },
    {
      name: n.tracker,
      module: moduleRef(o, 'surveillance/tracker'),
      export: 'trackerActor',
      args: { featuresActor: n.features },
      placement: edge('same-role'),
    },
    {
      name: n.features,
      module: moduleRef(o, 'surveillance/features'),
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
      module: moduleRef(options, 'surveillance/decision'),
      export: 'decisionActor',
      args: {
        ...(options.decisionConfig === undefined ? {} : { config: options.decisionConfig }),
        ...(options.integrityActor ? { integrityActor: options.integrityActor } : {}),
      },
      placement: { role: 'fog', fallback: 'any' },
    },
  ]
}
