/**
 * The ENF fingerprint actor's messages: `enf.record` (Algorithm 1's
 * record_ENF_fingerprint) and `enf.verify` (verify_ENF_fingerprint), with
 * their payload and reply schemas, and the actor's init arguments.
 */
import { z } from 'zod'

const recordingId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/)
  .describe('Recording id (1–128 of A–Z a–z 0–9 . _ : -); the ledger key is enf:<id>')

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
  mediaRoot: z
    .string()
    .optional()
    .describe(
      'Only files under this folder may be fingerprinted or verified; absent: any path the host can read',
    ),
  trustedHosts: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .optional()
    .describe(
      'Host public keys (hex) whose fingerprints enf.verify accepts; absent: any valid signature',
    ),
})

/** Init arguments as callers write them (defaults applied by the actor). */
export type EnfFingerprintArgs = z.input<typeof enfFingerprintArgs>

/** Messages of the `enf-fingerprint` actor. */
export const enfFingerprintProtocol = {
  'enf.record': {
    access: { resource: '/enf/records', action: 'write' },
    payload: z.object({
      recordingId,
      audioPath: z.string().min(1).describe('Recording on this host (WAV or media ffmpeg reads)'),
      nominal: nominal.optional(),
      capturedAtMs: z.number().int().nonnegative().optional(),
    }),
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
    ],
    idempotent: true,
    description:
      'Extract a recording’s ENF, sign it with the host key and commit it to the intra-domain ledger.',
  },
  'enf.verify': {
    access: { resource: '/enf/records', action: 'read' },
    payload: z.object({
      recordingId,
      candidatePath: z
        .string()
        .min(1)
        .describe('Recording presented for verification, or an ENF CSV'),
      threshold: z.number().min(-1).max(1).optional(),
    }),
    reply: z.object({
      passed: z.boolean(),
      correlation: z.number().nullable(),
      threshold: z.number(),
      correlationReached: z.boolean(),
      verdict: z.enum(['authentic', 'tampered', 'inconclusive']),
      reason: z.string(),
      tamperedSpans: z.array(
        z.object({ start_s: z.number(), end_s: z.number(), windows: z.number() }),
      ),
      sameFile: z.boolean(),
      hostPublicKey: z.string(),
      receipt: receiptSummary,
    }),
    errors: [
      'ENF_FINGERPRINT_NOT_FOUND',
      'ENF_SIGNATURE_INVALID',
      'ENF_DECODE_FAILED',
      'ENF_TOO_SHORT',
      'ENF_BAD_REFERENCE',
    ],
    idempotent: true,
    description:
      'Check a stored fingerprint’s signature and correlate it with a presented recording.',
  },
  'enf.extract': {
    access: { resource: '/enf/records', action: 'read' },
    payload: z.object({
      audioPath: z.string().min(1).describe('Recording on this host (WAV or media ffmpeg reads)'),
      nominal: nominal.optional(),
    }),
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
    ],
    idempotent: true,
    description: 'Extract a recording’s ENF series (one value per second, with its SNR).',
  },
  'enf.compare': {
    access: { resource: '/enf/records', action: 'read' },
    payload: z.object({
      recordingPath: z.string().min(1),
      referencePath: z.string().min(1).describe('Reference audio or time,frequency CSV'),
      nominal: nominal.optional(),
      referenceOffsetSeconds: z.number().optional(),
    }),
    reply: z.object({
      verdict: z.enum(['authentic', 'tampered', 'inconclusive']),
      reason: z.string(),
      lagSeconds: z.number(),
      offsetHz: z.number().nullable(),
      medianSnrDb: z.number().nullable(),
      tamperedSpans: z.array(
        z.object({
          start_s: z.number(),
          end_s: z.number(),
          windows: z.number(),
          kind: z.enum(['enf_mismatch', 'phase_discontinuity']),
        }),
      ),
      windows: z.array(
        z.object({
          start_s: z.number(),
          end_s: z.number(),
          r: z.number().nullable(),
          rmse_hz: z.number().nullable(),
          snr_db: z.number().nullable(),
          status: z.enum(['match', 'mismatch', 'inconclusive']),
        }),
      ),
    }),
    errors: ['ENF_DECODE_FAILED', 'ENF_NO_AUDIO', 'ENF_TOO_SHORT', 'ENF_BAD_REFERENCE'],
    idempotent: true,
    description:
      'Compare a recording’s ENF with a grid reference: authentic, tampered or inconclusive.',
  },
} as const
