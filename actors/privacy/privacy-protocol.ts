/**
 * The privacy actor's messages and init arguments. Who is asking is always
 * `context.caller` (the envelope), never a payload field; what a caller gets
 * unscrambled is decided per attribute by the PrivacyPolicy mirror and the
 * caller's capability (`/privacy/faces`, `/privacy/people` with `read`).
 */
import { z } from 'zod'
import type { Protocol } from '../../runtime/index.ts'
import { sidecarSchema } from './sidecar.ts'

const cameraId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 of A–Z a–z 0–9 . _ -')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte hex address')
const box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be bytes')
const attributeView = z.enum(['clear', 'scrambled'])
const attributes = z.object({ faces: attributeView, people: attributeView })

export const privacyCameraSchema = z.object({
  id: cameraId,
  account: address.describe("the camera's account: the owner PrivacyPolicy rules are set for"),
  input: z
    .string()
    .min(1)
    .optional()
    .describe(
      'ffmpeg input decoded here (file, rtsp://…); absent: frames arrive by privacy.ingest',
    ),
  width: z.number().int().min(16).default(640),
  height: z.number().int().min(16).default(360),
  fps: z.number().positive().optional().describe('decode rate; absent keeps the input rate'),
  realtime: z.boolean().default(true).describe('read a file at its native rate, as a camera'),
  loop: z.boolean().default(true).describe('restart the input when it ends'),
  detector: z
    .enum(['blobs', 'learned'])
    .default('blobs')
    .describe('blobs: people; learned: people and faces'),
})

export const privacyArgsSchema = z.object({
  keyDir: z.string().min(1).describe("the edge host's camera key store (under its data dir)"),
  hostId: z.string().min(1).default('edge').describe('host the cameras are on (for /v1/cameras)'),
  cameras: z.array(privacyCameraSchema).min(1),
  padFraction: z.number().min(0).max(1).default(0.15).describe('padding per side, of the box size'),
  padPixels: z.number().int().min(0).default(4).describe('padding per side, pixels'),
  epochFrames: z.number().int().min(1).default(1_500).describe('frames per key epoch (rotation)'),
  keepFrames: z
    .number()
    .int()
    .min(2)
    .max(256)
    .default(16)
    .describe('recent scrambled frames kept per camera'),
  trackHistoryMs: z
    .number()
    .int()
    .positive()
    .default(600_000)
    .describe('tracks kept for range queries'),
  policyActor: z.string().default('privacy-policy'),
  accessActor: z.string().default('access-control'),
  integrityActor: z
    .string()
    .optional()
    .describe(
      'integrity actor the release audit hashes go to (the ledger); absent: local log only',
    ),
  policyCacheMs: z
    .number()
    .int()
    .min(0)
    .default(250)
    .describe('how long a view decision is reused for frames (keys are always asked afresh), ms'),
  pngLevel: z
    .number()
    .int()
    .min(0)
    .max(9)
    .default(0)
    .describe('zlib level of the PNGs served; 0 (stored) costs ~2 ms a frame, 1 ~12 ms'),
})

export type PrivacyArgs = z.input<typeof privacyArgsSchema>
export type PrivacyCamera = z.output<typeof privacyCameraSchema>

const VIEW = { resource: '/privacy/cameras', action: 'read' } as const

export const privacyProtocol = {
  'privacy.cameras': {
    payload: z.object({}),
    reply: z.object({
      cameras: z.array(
        z.object({ id: z.string(), host: z.string(), latestSeq: z.number().int(), attributes }),
      ),
    }),
    access: VIEW,
    idempotent: true,
    description: 'The cameras the caller may watch, and which attributes it sees clear.',
  },
  'privacy.view': {
    payload: z.object({
      cameraId,
      afterSeq: z
        .number()
        .int()
        .optional()
        .describe('only a frame newer than this; else png is null'),
    }),
    reply: z.object({
      seq: z.number().int(),
      t: z.number(),
      png: bytes.nullable(),
      attributes,
      mask: z.number().int().describe('bit per attribute shown clear: faces 1, people 2'),
    }),
    errors: ['PRIVACY_NOT_FOUND', 'PRIVACY_TAMPERED'],
    access: VIEW,
    idempotent: true,
    description: "The latest frame as PNG, scrambled per the caller's policy.",
  },
  'privacy.watch': {
    payload: z.object({ cameraId }),
    reply: z.object({ seq: z.number().int(), attributes, mask: z.number().int() }),
    errors: ['PRIVACY_NOT_FOUND'],
    access: VIEW,
    description:
      "How the caller sees the camera now; records the caller's clear-frame release for the epoch (live viewers re-check with it).",
  },
  'privacy.frame': {
    payload: z.object({ cameraId, seq: z.number().int().optional() }),
    reply: z.object({ pixels: bytes, sidecar: sidecarSchema }),
    errors: ['PRIVACY_NOT_FOUND'],
    access: VIEW,
    idempotent: true,
    description: 'A stored frame exactly as scrambled (raw RGB) with its sidecar.',
  },
  'privacy.keys': {
    payload: z.object({ cameraId, epoch: z.number().int().min(0) }),
    reply: z.object({
      releaseId: z.string(),
      keys: z.record(z.string(), z.string()).describe('attribute → base64 AES-256 key'),
      keyIds: z.record(z.string(), z.string()),
    }),
    errors: ['PRIVACY_NOT_ALLOWED', 'PRIVACY_NOT_FOUND', 'INTEGRITY_DEPENDENCY_UNAVAILABLE'],
    access: VIEW,
    description:
      'Releases the epoch keys of the attributes the caller may see clear, audited on the ledger first.',
  },
  'privacy.ingest': {
    payload: z.object({
      cameraId,
      t: z.number().optional(),
      pixels: bytes.describe('width × height × 3 RGB bytes'),
      faces: z.array(box).default([]),
      persons: z.array(box).default([]),
    }),
    reply: z.object({ seq: z.number().int(), epoch: z.number().int(), regions: z.number().int() }),
    errors: ['PRIVACY_NOT_FOUND', 'PRIVACY_SIDECAR_INVALID'],
    access: { resource: '/privacy/ingest', action: 'write' },
    description: "A frame and its detector's boxes from another producer: scrambled and kept.",
  },
  'privacy.tracks': {
    payload: z.object({ cameraId, from: z.number(), to: z.number() }),
    reply: z.object({
      tracks: z.array(
        z.object({
          t: z.number(),
          seq: z.number().int(),
          tracks: z.array(box.extend({ id: z.number().int(), score: z.number() })),
        }),
      ),
    }),
    errors: ['PRIVACY_NOT_FOUND'],
    access: { resource: '/surveillance/tracks', action: 'read' },
    idempotent: true,
    description: 'Tracked person boxes per frame in a time range (unix ms).',
  },
  'privacy.releases': {
    payload: z.object({}),
    reply: z.object({
      releases: z.array(
        z.object({ id: z.string(), data: z.record(z.string(), z.unknown()), hash: z.string() }),
      ),
    }),
    access: { resource: '/privacy/audit', action: 'admin' },
    idempotent: true,
    description: 'The release audit log: who got which keys or clear frames, when.',
  },
} as const satisfies Protocol
