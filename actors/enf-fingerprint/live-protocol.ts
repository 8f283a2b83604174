/**
 * The live ENF actors' messages and init arguments (docs/enf.md, Live): the
 * `enf-live` actor (one per camera: its audio → signed checkpoints on the
 * ledger, tamper alerts) and the `enf-grid-reference` actor (one per domain:
 * the mains reference's ENF for a time range).
 */
import { z } from 'zod'

const nominal = z.union([z.literal(50), z.literal(60)])
const streamId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/)

const liveInput = {
  input: z.string().min(1).describe('Any ffmpeg input with an audio track: file, udp://, rtsp://'),
  nominal: nominal.default(50).describe('Grid nominal frequency in Hz; default 50'),
  sampleRate: z
    .number()
    .int()
    .optional()
    .describe('PCM rate ffmpeg resamples to: a whole multiple (3–20) of the nominal; default 20×'),
  frameSeconds: z.number().min(1).max(60).default(20).describe('STFT frame in seconds; default 20'),
  readRate: z
    .number()
    .positive()
    .max(1000)
    .optional()
    .describe(
      'Read a file at this multiple of real time (1 = ffmpeg -re); absent: as fast as the input gives',
    ),
  epochMs: z
    .number()
    .int()
    .optional()
    .describe('Wall-clock ms of the input’s time 0; default the clock when the input starts'),
  restartInput: z
    .boolean()
    .optional()
    .describe(
      'Restart the input when it dies or ends; default: for network inputs (…://), not files',
    ),
  restartDelayMs: z.number().int().min(0).default(1000).describe('First restart delay; doubles'),
  restartMaxDelayMs: z.number().int().min(0).default(30_000).describe('Longest restart delay'),
}

/** Init arguments of an `enf-live` actor. */
export const enfLiveArgs = z.object({
  cameraId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  ...liveInput,
  streamId: streamId.optional().describe('Ledger id of this stream; default <cameraId>.<epochMs>'),
  signingKeyPath: z.string().min(1).describe('File of this edge host’s Ed25519 key'),
  ledgerActor: z.string().default('ledger'),
  identityActor: z.string().default('identity'),
  referenceActor: z
    .string()
    .optional()
    .describe(
      'The domain’s enf-grid-reference actor; absent: checkpoints are committed, not checked',
    ),
  integrityActor: z
    .string()
    .optional()
    .describe('Integrity actor that records checkpoints and alerts for the fog database'),
  checkpointSeconds: z.number().int().min(5).max(3600).default(30),
  historySeconds: z.number().int().min(60).max(3600).default(300),
  maxLagSeconds: z.number().min(0).max(30).default(2),
  referenceWaitMs: z
    .number()
    .int()
    .min(0)
    .default(20_000)
    .describe('How long a check waits for the reference to reach the checkpoint’s end'),
})
export type EnfLiveArgs = z.input<typeof enfLiveArgs>

/** Init arguments of an `enf-grid-reference` actor. */
export const gridReferenceArgs = z.object({
  ...liveInput,
  retainSeconds: z.number().int().min(60).default(86_400).describe('ENF kept; default a day'),
})
export type GridReferenceArgs = z.input<typeof gridReferenceArgs>

const referenceSeries = z.object({
  startMs: z.number(),
  hopMs: z.number(),
  frequencyHz: z.array(z.number()),
  snrDb: z.array(z.number().nullable()),
  valid: z.array(z.boolean()),
  gaps: z
    .array(z.object({ fromMs: z.number(), toMs: z.number() }))
    .optional()
    .describe('Ranges (ms, ends included) without reference data: its input was lost'),
})

const READ = { resource: '/enf/records', action: 'read' } as const

const alert = z.object({
  seq: z.number().int(),
  cameraId: z.string(),
  streamId: z.string(),
  checkpointSeq: z.number().int(),
  checkpointKey: z.string(),
  kind: z.enum(['enf_mismatch', 'phase_discontinuity']),
  startSeconds: z.number(),
  endSeconds: z.number(),
  startMs: z.number(),
  endMs: z.number(),
  reason: z.string(),
  audioSeconds: z.number(),
  raisedAtMs: z.number(),
})

const checkpointSummary = z.object({
  seq: z.number().int(),
  key: z.string(),
  startSeconds: z.number().describe('Stream time (s) of the first step, the centre of its frame'),
  endSeconds: z.number().describe('Stream time (s) of the last step, the centre of its frame'),
  intervalStartSeconds: z.number(),
  inputGaps: z
    .array(z.object({ fromSeconds: z.number(), toSeconds: z.number() }))
    .describe('Stream time without audio since the previous checkpoint (input restarted)'),
  intervalEndSeconds: z
    .number()
    .describe('The audio interval (start, end] whose arrival completed its steps (stream time, s)'),
  validFraction: z.number(),
  medianSnrDb: z.number(),
  audioSeconds: z.number(),
  commitMs: z.number().describe('Cut → committed receipt, ms'),
  cutAtMs: z.number().describe('Wall clock of the cut (the interval end’s audio arrived)'),
  committedAtMs: z.number().describe('Wall clock of the committed receipt'),
  detection: z.enum(['tampered', 'clear', 'inconclusive', 'skipped']),
  detectionReason: z.string(),
  height: z.number().int(),
  leafHash: z.string(),
  batchRoot: z.string(),
})

/** Messages of the `enf-live` actor. */
export const enfLiveProtocol = {
  'enf.live.status': {
    payload: z.object({}),
    reply: z.object({
      cameraId: z.string(),
      streamId: z.string().nullable(),
      running: z.boolean(),
      ended: z.boolean(),
      lastError: z.string().nullable(),
      input: z.enum(['starting', 'running', 'restarting', 'ended']),
      restarts: z.number().int(),
      gaps: z.array(z.object({ fromSeconds: z.number(), toSeconds: z.number() })),
      nextRestartAtMs: z.number().nullable(),
      audioSeconds: z.number(),
      steps: z.number().int(),
      checkpoints: z.number().int(),
      alerts: z.number().int(),
    }),
    access: READ,
    description: 'How far the camera’s live ENF has got: audio, steps, checkpoints, alerts.',
  },
  'enf.live.checkpoints': {
    payload: z.object({ after: z.number().int().min(-1).default(-1) }),
    reply: z.object({ checkpoints: z.array(checkpointSummary) }),
    access: READ,
    description: 'The committed checkpoints after `after` (at most 500), with receipts and checks.',
  },
  'enf.live.events': {
    payload: z.object({ after: z.number().int().min(0).default(0) }),
    reply: z.object({ events: z.array(alert), cursor: z.number().int() }),
    access: READ,
    description:
      'Tamper alerts after the cursor (at most 100), as decision.events streams its own.',
  },
} as const

/** Messages of the `enf-grid-reference` actor. */
export const gridReferenceProtocol = {
  'enfref.series': {
    payload: z
      .object({
        fromMs: z.number(),
        toMs: z.number(),
        waitMs: z.number().int().min(0).max(60_000).default(0),
      })
      .refine((p) => p.toMs >= p.fromMs && p.toMs - p.fromMs <= 86_400_000, {
        message: 'toMs must be ≥ fromMs and at most a day after it',
      }),
    reply: z.object({ series: referenceSeries.nullable(), coveredUntilMs: z.number().nullable() }),
    access: READ,
    description:
      'The reference ENF for [fromMs, toMs] (wall clock); waits up to waitMs for the reference to reach toMs.',
  },
  'enfref.status': {
    payload: z.object({}),
    reply: z.object({
      running: z.boolean(),
      ended: z.boolean(),
      lastError: z.string().nullable(),
      input: z.enum(['starting', 'running', 'restarting', 'ended']),
      restarts: z.number().int(),
      gaps: z
        .array(z.object({ fromMs: z.number(), toMs: z.number() }))
        .describe('Wall-clock spans without input audio (the input was lost and restarted)'),
      nextRestartAtMs: z.number().nullable(),
      steps: z.number().int(),
      firstMs: z.number().nullable(),
      coveredUntilMs: z.number().nullable(),
    }),
    access: READ,
    description: 'How far the grid reference has got.',
  },
} as const
