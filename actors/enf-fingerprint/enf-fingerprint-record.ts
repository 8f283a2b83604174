/**
 * The ENF fingerprint as stored on the intra-domain ledger (Algorithm 1's
 * record): the ENF series of a recording plus what binds it to the file and
 * the host, in a canonical encoding that is signed by the edge host.
 *
 * Canonical form: JSON with a fixed key order and integers only (frequency as
 * the deviation from nominal in µHz, SNR in centi-dB, times in ms), UTF-8.
 * The signature covers the canonical bytes of `fingerprint`; the ledger
 * record's data is the canonical bytes of `{fingerprint, signature}`.
 */
import type { LedgerRecord } from '../../ledger/index.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfSignatureInvalidError } from './errors.ts'
import type { EnfSeries, Nominal } from './extract-enf.ts'

/** The signed content. */
export type EnfFingerprint = {
  v: 1
  recordingId: string
  /** When the recording started (ms since the epoch), if the caller knows. */
  capturedAtMs: number | null
  /** SHA-256 of the recording file's bytes (hex). */
  audioSha256: string
  nominalHz: Nominal
  startMs: number
  hopMs: number
  frameMs: number
  /** Per step: (frequency − nominal) in µHz. */
  deviationMicroHz: number[]
  /** Per step: ENF line SNR in centi-dB. */
  snrCentiDb: number[]
  /** Steps whose estimate a burst of other sound disturbed (indices, ascending). */
  disturbedSteps: number[]
  /** Phase discontinuities of the hum already present when recorded (ms): not edits made later. */
  discontinuitiesMs: number[]
  /** The signing host's Ed25519 public key (hex). */
  hostPublicKey: string
}

export type SignedEnfFingerprint = {
  fingerprint: EnfFingerprint
  /** Ed25519 signature of canonicalFingerprintBytes(fingerprint), hex. */
  signature: string
}

/**
 * Ledger key of a recording's fingerprint, in the recording host's namespace (`enf:<hostId>/…`):
 * the ledger actor lets only that host write there.
 */
export function fingerprintKey(hostId: string, recordingId: string): string {
  return `enf:${hostId}/${recordingId}`
}

/** The host and recording a fingerprint key names, or null for a key of another shape. */
export function parseFingerprintKey(key: string): { hostId: string; recordingId: string } | null {
  const match = /^enf:([^/:]+)\/(.+)$/.exec(key)
  return match ? { hostId: match[1]!, recordingId: match[2]! } : null
}

/** Builds the fingerprint content from an extracted series. */
export function buildFingerprint(
  series: EnfSeries,
  meta: {
    recordingId: string
    capturedAtMs: number | null
    audioSha256: string
    hostPublicKey: string
    discontinuities: readonly { timeSeconds: number }[]
  },
): EnfFingerprint {
  const finite = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback)
  return {
    v: 1,
    recordingId: meta.recordingId,
    capturedAtMs: meta.capturedAtMs,
    audioSha256: meta.audioSha256,
    nominalHz: series.nominal,
    startMs: Math.round(series.startSeconds * 1000),
    hopMs: Math.round(series.hopSeconds * 1000),
    frameMs: Math.round(series.frameSeconds * 1000),
    deviationMicroHz: Array.from(series.frequency, (f) => Math.round((f - series.nominal) * 1e6)),
    snrCentiDb: Array.from(series.snrDb, (s) => Math.round(finite(s, -100) * 100)),
    disturbedSteps: Array.from(series.disturbed.keys()).filter((i) => series.disturbed[i] === 1),
    discontinuitiesMs: meta.discontinuities.map((d) => Math.round(d.timeSeconds * 1000)),
    hostPublicKey: meta.hostPublicKey,
  }
}

/** The bytes the host signs: canonical JSON of the fingerprint (fixed key order). */
export function canonicalFingerprintBytes(fingerprint: EnfFingerprint): Uint8Array {
  const f = fingerprint
  const ordered = {
    v: f.v,
    recordingId: f.recordingId,
    capturedAtMs: f.capturedAtMs,
    audioSha256: f.audioSha256,
    nominalHz: f.nominalHz,
    startMs: f.startMs,
    hopMs: f.hopMs,
    frameMs: f.frameMs,
    deviationMicroHz: f.deviationMicroHz,
    snrCentiDb: f.snrCentiDb,
    disturbedSteps: f.disturbedSteps,
    discontinuitiesMs: f.discontinuitiesMs,
    hostPublicKey: f.hostPublicKey,
  }
  return new TextEncoder().encode(JSON.stringify(ordered))
}

/** The ledger record holding a signed fingerprint, keyed in `hostId`'s namespace. */
export function toLedgerRecord(signed: SignedEnfFingerprint, hostId: string): LedgerRecord {
  const fingerprintJson = new TextDecoder().decode(canonicalFingerprintBytes(signed.fingerprint))
  const json = `{"fingerprint":${fingerprintJson},"signature":${JSON.stringify(signed.signature)}}`
  return {
    kind: 'enf_fingerprint',
    key: fingerprintKey(hostId, signed.fingerprint.recordingId),
    dataHex: Buffer.from(json, 'utf8').toString('hex'),
  }
}

/** Decodes a ledger record back into a signed fingerprint (shape-checked, signature not yet verified). */
export function fromLedgerRecord(record: LedgerRecord): SignedEnfFingerprint {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(record.dataHex, 'hex').toString('utf8'))
  } catch (cause) {
    throw new EnfSignatureInvalidError('The stored ENF fingerprint does not decode', { cause })
  }
  const signed = parsed as Partial<SignedEnfFingerprint>
  const f = signed.fingerprint as Partial<EnfFingerprint> | undefined
  const ints = (value: unknown) => Array.isArray(value) && value.every(Number.isInteger)
  if (
    record.kind !== 'enf_fingerprint' ||
    typeof signed.signature !== 'string' ||
    !f ||
    f.v !== 1 ||
    typeof f.recordingId !== 'string' ||
    (f.nominalHz !== 50 && f.nominalHz !== 60) ||
    !ints(f.deviationMicroHz) ||
    !ints(f.snrCentiDb) ||
    !ints(f.discontinuitiesMs) ||
    !ints(f.disturbedSteps) ||
    f.deviationMicroHz?.length !== f.snrCentiDb?.length ||
    typeof f.hostPublicKey !== 'string' ||
    !Number.isInteger(f.startMs) ||
    !Number.isInteger(f.hopMs) ||
    !Number.isInteger(f.frameMs)
  ) {
    throw new EnfSignatureInvalidError('The stored ENF fingerprint is malformed', {
      meta: { key: record.key },
    })
  }
  return signed as SignedEnfFingerprint
}

/** The fingerprint as an ENF track for comparison (steps below 15 dB or disturbed marked unusable). */
export function fingerprintTrack(fingerprint: EnfFingerprint, minSnrDb = 15): EnfTrack {
  const snrDb = Float64Array.from(fingerprint.snrCentiDb, (s) => s / 100)
  const valid = Uint8Array.from(snrDb, (s) => (s >= minSnrDb ? 1 : 0))
  for (const i of fingerprint.disturbedSteps) if (i >= 0 && i < valid.length) valid[i] = 0
  return {
    startSeconds: fingerprint.startMs / 1000,
    hopSeconds: fingerprint.hopMs / 1000,
    frequency: Float64Array.from(
      fingerprint.deviationMicroHz,
      (d) => fingerprint.nominalHz + d / 1e6,
    ),
    snrDb,
    valid,
    frameSeconds: fingerprint.frameMs / 1000,
  }
}
