/**
 * The ENF fingerprint actor's messages: `enf.record` (Algorithm 1's
 * record_ENF_fingerprint) and `enf.verify` (verify_ENF_fingerprint), with
 * their payload and reply schemas, and the actor's init arguments.
 *
 * Recordings are named by a path inside the host's media root or sent as
 * bytes (base64, at most 16 MiB), never by an arbitrary host path. Each
 * message declares the right a gateway caller needs (`access`).
 */
import { z } from 'zod'

const recordingId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/)
  .describe('Recording id (1–128 of A–Z a–z 0–9 . _ : -); the ledger key is enf:<hostId>/<id>')

const hostId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/)
  .describe('Id of the host that recorded it (its ledger namespace)')

/** Largest recording sent as bytes, decoded. */
export const MAX_UPLOAD_BYTES = 16 * 2 ** 20

const mediaPath = z
  .string()
  .min(1)
  .max(1024)
  .describe("A file inside this host's media folder, relative to it (no '..', no symbolic links)")

const mediaBytes = z
  .string()
  .max(4 * Math.ceil(MAX_UPLOAD_BYTES / 3))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'standard base64')
  .describe('The file itself, base64 (at most 16 MiB decoded)')

/** Exactly one of the two fields naming a recording. */
function oneOf(pathField: string, bytesField: string) {
  return (payload: Record<string, unknown>) =>
    (payload[pathField] === undefined) !== (payload[bytesField] === undefined)
}

const oneOfMessage = (pathField: string, bytesField: string) => ({
  message: `give exactly one of ${pathField} (a file in the media folder) or ${bytesField} (its bytes, base64)`,
})

const tamperedSpan = z.object({
  startSeconds: z.number(),
  endSeconds: z.number(),
  windows: z.number(),
  kind: z.enum(['enf_mismatch', 'phase_discontinuity']),
})

/** What checking a stored fingerprint can fail with, for enf.verify and enf.verify_stream alike. */
const checkStoredErrors = [
  'ENF_FINGERPRINT_NOT_FOUND',
  'ENF_SIGNATURE_INVALID',
  'ENF_DECODE_FAILED',
  'ENF_HOST_UNKNOWN',
  'ENF_DEPENDENCY_UNAVAILABLE',
  'MEDIA_PATH_REFUSED',
] as const

const nominal = z.union([z.literal(50), z.literal(60)])

const receiptSummary = z.object({
  height: z.number().int(),
  txHash: z.string(),
  batchRoot: z.string(),
  leafHash: z.string(),
  chainId: z.string(),
})

/** Init arguments of an enf-fingerprint actor (plain data). */
export const enfFingerprintArgs = z.object({
  signingKeyPath: z
    .string()
    .min(1)
    .describe('File holding the edge host Ed25519 private key (JWK, PKCS#8 PEM or hex seed)'),
  ledgerActor: z
    .string()
    .default('ledger')
    .describe(
      'Name of the intra-domain ledger actor (ledger.commit / ledger.get); default "ledger"',
    ),
  nominal: nominal.default(50).describe('Grid nominal frequency in Hz; default 50'),
  frameSeconds: z.number().min(1).max(60).default(20).describe('STFT frame in seconds; default 20'),
  identityActor: z
    .string()
    .default('identity')
    .describe(
      'Name of the identity actor (identity.host_of_key): which hosts are registered in which zone; default "identity"',
    ),
  mediaRoot: z
    .string()
    .min(1)
    .describe(
      'The only folder whose files requests may name (created if missing); uploads are staged in it',
    ),
})

/** Init arguments as callers write them (defaults applied by the actor). */
export type EnfFingerprintArgs = z.input<typeof enfFingerprintArgs>

/** Messages of the `enf-fingerprint` actor. */
export const enfFingerprintProtocol = {
  'enf.record': {
    payload: z
      .object({
        recordingId,
        audioPath: mediaPath.optional(),
        audio: mediaBytes.optional(),
        nominal: nominal.optional(),
        capturedAtMs: z.number().int().nonnegative().optional(),
      })
      .refine(oneOf('audioPath', 'audio'), oneOfMessage('audioPath', 'audio')),
    reply: z.object({
      fingerprintId: z.string(),
      steps: z.number().int(),
      validFraction: z.number(),
      medianSnrDb: z.number(),
      hostPublicKey: z.string(),
      audioSha256: z.string(),
      receipt: receiptSummary,
    }),
    errors: [
      'ENF_DECODE_FAILED',
      'ENF_NO_AUDIO',
      'ENF_TOO_SHORT',
      'ENF_NO_ENF',
      'ENF_FINGERPRINT_EXISTS',
      'ENF_NOT_WAV',
      'ENF_UNSUPPORTED_FORMAT',
      'ENF_HOST_UNKNOWN',
      'ENF_DEPENDENCY_UNAVAILABLE',
      'MEDIA_PATH_REFUSED',
    ],
    idempotent: true,
    access: { resource: '/enf/records', action: 'write' },
    description:
      'Extract a recording’s ENF, sign it with the host key and commit it to the intra-domain ledger.',
  },
  'enf.verify': {
    payload: z
      .object({
        recordingId,
        hostId: hostId.optional().describe('Host that recorded it; default this host'),
        candidatePath: mediaPath
          .optional()
          .describe('Recording presented for verification (or an ENF CSV), in the media folder'),
        candidate: mediaBytes.optional(),
        threshold: z.number().min(-1).max(1).optional(),
      })
      .refine(oneOf('candidatePath', 'candidate'), oneOfMessage('candidatePath', 'candidate')),
    reply: z.object({
      passed: z.boolean(),
      correlation: z.number().nullable(),
      threshold: z.number(),
      correlationReached: z.boolean(),
      verdict: z.enum(['authentic', 'tampered', 'inconclusive']),
      reason: z.string(),
      tamperedSpans: z.array(tamperedSpan),
      sameFile: z.boolean(),
      hostPublicKey: z.string(),
      signerHostId: z.string().nullable().describe('Host the signing key belongs to'),
      signerTrusted: z
        .boolean()
        .describe('The signer is a registered host of this zone and owns the record'),
      receipt: receiptSummary,
    }),
    errors: [...checkStoredErrors, 'ENF_TOO_SHORT', 'ENF_BAD_REFERENCE'],
    idempotent: true,
    access: { resource: '/enf/records', action: 'read' },
    description:
      'Check a stored fingerprint’s signature and correlate it with a presented recording.',
  },
  'enf.verify_stream': {
    payload: z
      .object({
        streamId: z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,128}$/)
          .describe(
            'The live stream (enf-live actor) whose checkpoints the recording is checked against',
          ),
        hostId: hostId.optional().describe('Host that streamed it; default this host'),
        candidatePath: mediaPath.optional().describe('The stored recording, in the media folder'),
        candidate: mediaBytes.optional(),
      })
      .refine(oneOf('candidatePath', 'candidate'), oneOfMessage('candidatePath', 'candidate')),
    reply: z.object({
      passed: z.boolean(),
      verdict: z.enum(['authentic', 'tampered', 'inconclusive']),
      reason: z.string(),
      checkpoints: z.number().int(),
      coveredSeconds: z.object({ start: z.number(), end: z.number() }),
      tamperedSpans: z.array(tamperedSpan),
      mismatchedCheckpoints: z.array(
        z.object({ seq: z.number().int(), startSeconds: z.number(), endSeconds: z.number() }),
      ),
      hostPublicKey: z.string(),
      signerHostId: z.string().nullable(),
      signerTrusted: z.boolean(),
    }),
    errors: checkStoredErrors,
    idempotent: true,
    access: { resource: '/enf/records', action: 'read' },
    description:
      'Check a stored recording of a live stream against the ENF checkpoints committed while it was made; names the checkpoints that do not match.',
  },
  'enf.extract': {
    payload: z
      .object({
        audioPath: mediaPath.optional(),
        audio: mediaBytes.optional(),
        nominal: nominal.optional(),
      })
      .refine(oneOf('audioPath', 'audio'), oneOfMessage('audioPath', 'audio')),
    reply: z.object({
      nominal,
      startSeconds: z.number(),
      hopSeconds: z.number(),
      frequencyHz: z.array(z.number()),
      snrDb: z.array(z.number().nullable()),
      valid: z.array(z.boolean()),
      validFraction: z.number(),
      medianSnrDb: z.number().nullable(),
    }),
    errors: [
      'ENF_DECODE_FAILED',
      'ENF_NO_AUDIO',
      'ENF_TOO_SHORT',
      'ENF_NOT_WAV',
      'ENF_UNSUPPORTED_FORMAT',
      'MEDIA_PATH_REFUSED',
    ],
    idempotent: true,
    access: { resource: '/enf/records', action: 'read' },
    description: 'Extract a recording’s ENF series (one value per second, with its SNR).',
  },
  'enf.compare': {
    payload: z
      .object({
        recordingPath: mediaPath.optional(),
        recording: mediaBytes.optional(),
        referencePath: mediaPath
          .optional()
          .describe('Reference audio or time,frequency CSV, in the media folder'),
        reference: mediaBytes.optional(),
        nominal: nominal.optional(),
        referenceOffsetSeconds: z.number().optional(),
      })
      .refine(oneOf('recordingPath', 'recording'), oneOfMessage('recordingPath', 'recording'))
      .refine(oneOf('referencePath', 'reference'), oneOfMessage('referencePath', 'reference')),
    reply: z.object({
      verdict: z.enum(['authentic', 'tampered', 'inconclusive']),
      reason: z.string(),
      lagSeconds: z.number(),
      offsetHz: z.number().nullable(),
      medianSnrDb: z.number().nullable(),
      tamperedSpans: z.array(tamperedSpan),
      windows: z.array(
        z.object({
          startSeconds: z.number(),
          endSeconds: z.number(),
          r: z.number().nullable(),
          rmseHz: z.number().nullable(),
          snrDb: z.number().nullable(),
          status: z.enum(['match', 'mismatch', 'inconclusive']),
        }),
      ),
    }),
    errors: [
      'ENF_DECODE_FAILED',
      'ENF_NO_AUDIO',
      'ENF_TOO_SHORT',
      'ENF_BAD_REFERENCE',
      'MEDIA_PATH_REFUSED',
    ],
    idempotent: true,
    access: { resource: '/enf/records', action: 'read' },
    description:
      'Compare a recording’s ENF with a grid reference: authentic, tampered or inconclusive.',
  },
} as const
