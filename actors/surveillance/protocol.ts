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
  name: z.string(),
  risk: z.number().min(0).max(1),
  polygon: z.array(z.tuple([z.number(), z.number()])).min(3),
})
const tracksRead = { resource: '/surveillance/tracks', action: 'read' } as const
const tracksWrite = { resource: '/surveillance/tracks', action: 'write' } as const

/** Init arguments of a camera actor: one ffmpeg input decoded and detected in its worker. */
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
  trackerActor: z.string().default('surveil-tracker'),
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
      restarts: z.number(),
      ended: z.boolean(),
      lastError: z.string().nullable(),
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
} as const

/** What the features and decision actors send to the integrity service. */
export type IntegrityRecord = {
  kind: 'surveillance.features' | 'surveillance.alert'
  key: string
  data: unknown
}
