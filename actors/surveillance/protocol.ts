/**
 * Messages of the surveillance actors (camera → tracker → features →
 * decision), their init arguments, and the integrity service call they
 * make (`integrity.record`, built by another service: only its name and
 * payload shape are assumed here).
 */
import { z } from 'zod'

const box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })
const detection = box.extend({ score: z.number() })
const tracked = box.extend({ id: z.number().int(), score: z.number() })
const features = z.object({
  dwell: z.number(),
  speed: z.number(),
  straightness: z.number(),
  turns: z.number(),
  zoneRisk: z.number(),
})
const zone = z.object({
  name: z.string().min(1),
  risk: z.number().min(0).max(1).default(0),
  restricted: z
    .boolean()
    .default(false)
    .describe('A person whose feet are inside raises an intrusion alert'),
  polygon: z
    .array(z.tuple([z.number(), z.number()]))
    .min(3)
    .describe('Vertices in pixels of the decoded frame'),
})
/** A zone of a camera's config (zones file of `vigil surveil run --zones`). */
export const zonesFile = z.object({ zones: z.array(zone) })
const tracksRead = { resource: '/surveillance/tracks', action: 'read' } as const
const tracksWrite = { resource: '/surveillance/tracks', action: 'write' } as const

/** Init arguments of a camera actor: one ffmpeg input decoded into its detector's frame ring. */
export const cameraArgs = z.object({
  cameraId: z.string().min(1),
  input: z.string().min(1).describe('Any ffmpeg input: file, rtsp://, udp://, http:// MJPEG'),
  width: z.number().int().min(16).default(384).describe('Decode width in pixels; default 384'),
  height: z.number().int().min(16).default(216).describe('Decode height in pixels; default 216'),
  fps: z.number().positive().optional().describe('Decode rate; absent keeps the input rate'),
  realtime: z.boolean().default(false).describe('Read at native rate (a file acts as a camera)'),
  loop: z
    .boolean()
    .default(false)
    .describe('Restart the input when it ends (a looped clip or a live stream)'),
  maxFrames: z.number().int().positive().optional(),
  detectorActor: z.string().default('surveil-detector'),
  pixelFormat: z
    .enum(['gray', 'rgb24'])
    .default('gray')
    .describe('gray for the blob detector, rgb24 for the learned one'),
  ringSlots: z
    .number()
    .int()
    .min(2)
    .max(16)
    .default(3)
    .describe('Frames in flight to the detector; a frame with no free slot is dropped (counted)'),
  stallTimeoutMs: z
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe('No frame for this long: the stream is stalled, ffmpeg is killed and restarted'),
  backoffMinMs: z.number().int().min(1).default(100),
  backoffMaxMs: z.number().int().min(1).default(5000),
})
export type CameraArgs = z.input<typeof cameraArgs>

export const cameraProtocol = {
  'camera.stats': {
    access: { resource: '/surveillance/cameras', action: 'read' },
    payload: z.object({}),
    reply: z.object({
      cameraId: z.string(),
      frames: z.number(),
      dropped: z.number(),
      restarts: z.number(),
      stalls: z.number(),
      ended: z.boolean(),
      lastError: z.string().nullable(),
    }),
  },
} as const

/** Init arguments of a detector actor: one detector kind for the cameras of its host. */
export const detectorArgs = z.object({
  detector: z.enum(['blobs', 'learned']).default('blobs'),
  trackerActor: z.string().default('surveil-tracker'),
  minScore: z.number().min(0).max(1).optional().describe('learned: minimum person score'),
  faces: z.boolean().default(true).describe('learned: also detect faces (BlazeFace)'),
  inputWidth: z
    .number()
    .int()
    .min(64)
    .max(2048)
    .optional()
    .describe("learned: CenterNet's input width in pixels (the frame's aspect kept); default 384"),
})
export type DetectorArgs = z.input<typeof detectorArgs>

const faceBox = box.extend({ score: z.number() })

export const detectorProtocol = {
  'detector.attach': {
    access: { resource: '/surveillance/cameras', action: 'write' },
    payload: z.object({
      cameraId: z.string().min(1),
      nonce: z.string().min(1),
      width: z.number().int().min(16),
      height: z.number().int().min(16),
      channels: z.union([z.literal(1), z.literal(3)]),
      slots: z.number().int().min(2).max(16),
    }),
    reply: z.object({ slotBytes: z.number() }),
  },
  'detector.frame': {
    access: { resource: '/surveillance/cameras', action: 'write' },
    payload: z.object({
      cameraId: z.string(),
      slot: z.number().int().min(0),
      frame: z.number().int(),
      t: z.number(),
      decodedAtMs: z.number(),
    }),
    reply: z.object({ persons: z.number(), faces: z.number() }),
  },
  'detector.faces': {
    access: { resource: '/surveillance/faces', action: 'read' },
    payload: z.object({ cameraId: z.string() }),
    reply: z.object({ frame: z.number(), faces: z.array(faceBox) }),
  },
  'detector.stats': {
    access: { resource: '/surveillance/cameras', action: 'read' },
    payload: z.object({}),
    reply: z.object({
      detector: z.string(),
      frames: z.number(),
      detectMsP50: z.number().nullable(),
    }),
  },
} as const

export const trackerArgs = z.object({
  featuresActor: z.string().default('surveil-features'),
  maxAge: z.number().int().min(1).default(5),
  minHits: z.number().int().min(1).default(3),
})
export type TrackerArgs = z.input<typeof trackerArgs>

export const trackerProtocol = {
  'tracker.update': {
    access: tracksWrite,
    payload: z.object({
      cameraId: z.string(),
      frame: z.number().int(),
      t: z.number(),
      decodedAtMs: z.number(),
      detections: z.array(detection),
    }),
    reply: z.object({ tracks: z.array(tracked) }),
  },
  'tracker.tracks': {
    access: tracksRead,
    payload: z.object({ cameraId: z.string() }),
    reply: z.object({ frame: z.number(), tracks: z.array(tracked), created: z.number() }),
  },
} as const

export const featuresArgs = z.object({
  decisionActor: z.string().default('surveil-decision'),
  integrityActor: z
    .string()
    .optional()
    .describe('Actor answering integrity.record; absent: features are not recorded'),
  windowSeconds: z.number().positive().default(300),
  everySeconds: z
    .number()
    .positive()
    .default(1)
    .describe('Features per track every this many seconds of video'),
  zones: z.array(zone).default([]),
})
export type FeaturesArgs = z.input<typeof featuresArgs>

export const featuresProtocol = {
  'features.observe': {
    access: tracksWrite,
    payload: z.object({
      cameraId: z.string(),
      t: z.number(),
      decodedAtMs: z.number(),
      tracks: z.array(tracked),
    }),
    reply: z.object({ emitted: z.number() }),
  },
} as const

export const decisionArgs = z.object({
  config: z
    .unknown()
    .optional()
    .describe('Fuzzy config (docs/surveillance.md); absent: the built-in one'),
  integrityActor: z.string().optional(),
})
export type DecisionArgs = z.input<typeof decisionArgs>

const alert = z.object({
  seq: z.number().int(),
  kind: z.enum(['loitering', 'intrusion']),
  zone: z.string().nullable(),
  cameraId: z.string(),
  trackId: z.number(),
  t: z.number(),
  suspicion: z.number(),
  atMs: z.number(),
})

export const decisionProtocol = {
  'decision.evaluate': {
    access: tracksWrite,
    payload: z.object({
      cameraId: z.string(),
      trackId: z.number().int(),
      t: z.number(),
      decodedAtMs: z.number(),
      features,
      restrictedZones: z
        .array(z.string())
        .default([])
        .describe('Restricted zones the track is in (feet inside the polygon)'),
    }),
    reply: z.object({ suspicion: z.number(), label: z.string(), alert: z.boolean() }),
  },
  'decision.alerts': {
    access: { resource: '/surveillance/alerts', action: 'read' },
    payload: z.object({}),
    reply: z.object({
      alerts: z.array(alert),
      decisions: z.number(),
      frameToFeatureP50Ms: z.number().nullable(),
    }),
  },
  'decision.events': {
    access: { resource: '/surveillance/alerts', action: 'read' },
    payload: z.object({
      after: z.number().int().min(0).default(0).describe('Last seq seen; 0 for the recent ones'),
    }),
    reply: z.object({ events: z.array(alert), cursor: z.number().int() }),
  },
} as const

/** What the features and decision actors send to the integrity service. */
export type IntegrityRecord = {
  kind: 'surveillance.features' | 'surveillance.alert'
  key: string
  data: unknown
}
