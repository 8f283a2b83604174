/**
 * An ENF checkpoint (docs/enf.md, Live): the ENF a live stream carried over
 * one checkpoint interval, signed by the edge host and committed to the
 * intra-domain ledger under `enfcp:<hostId>/<streamId>/<seq>`. Compact: the
 * frequency as int16 step-to-step deltas in 0.1 mHz (± 3.27 Hz per step;
 * quantisation σ 0.03 mHz), the SNR as one byte per step (half dB), the
 * valid steps as a bit set, all base64. Each checkpoint names the SHA-256 of
 * the one before, so a deleted or reordered checkpoint shows.
 */
import { createHash } from 'node:crypto'
import type { LedgerRecord } from '../../ledger/index.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfSignatureInvalidError } from './errors.ts'
import type { Nominal } from './harmonic-folding.ts'
import type { LiveEnfStep } from './live-enf-extractor.ts'

/** The signed content of one checkpoint. */
export type EnfCheckpoint = {
  v: 1
  cameraId: string
  streamId: string
  seq: number
  /** Wall-clock ms of the stream's time 0 (its first sample). */
  epochMs: number
  /** Stream time of the first step (ms) and the step (ms). */
  startMs: number
  hopMs: number
  frameMs: number
  nominalHz: Nominal
  /** PCM rate the ENF was extracted at (Hz): verification decodes the recording the same way. */
  sampleRate: number
  steps: number
  /** First step's deviation from nominal, in 0.1 mHz. */
  first: number
  /** base64 of int16 LE deltas (0.1 mHz), steps − 1 of them. */
  deltas: string
  /** base64 of one byte per step: SNR in half dB (0–255, clamped). */
  snrHalfDb: string
  /** base64 bit set of the valid steps (bit i of byte i >> 3). */
  validBits: string
  /** Valid steps in ‰ and the median SNR in centi-dB. */
  quality: { validPermille: number; medianSnrCentiDb: number }
  /** SHA-256 (hex) of the previous checkpoint's canonical bytes; null for seq 0. */
  previous: string | null
  /** The signing host's Ed25519 public key (hex). */
  hostPublicKey: string
  /**
   * Stream time (ms) without audio since the previous checkpoint: the input died and was
   * restarted. No step's frame overlaps a gap. Absent when there was none.
   */
  inputGaps?: { fromMs: number; toMs: number }[] | undefined
}

export type SignedEnfCheckpoint = { checkpoint: EnfCheckpoint; signature: string }

const UNIT_HZ = 1e-4

/** The ledger key of checkpoint `seq` of a stream. */
export function checkpointKey(hostId: string, streamId: string, seq: number): string {
  return `enfcp:${hostId}/${streamId}/${seq}`
}

/** The compact encoding of a run of steps. */
export function encodeSteps(steps: readonly LiveEnfStep[], nominal: number) {
  const n = steps.length
  const deltas = new Int16Array(Math.max(0, n - 1))
  const snr = new Uint8Array(n)
  const bits = new Uint8Array(Math.ceil(n / 8))
  let previous = Math.round((steps[0]!.frequencyHz - nominal) / UNIT_HZ)
  const first = previous
  for (let i = 0; i < n; i++) {
    const step = steps[i]!
    if (i > 0) {
      const wanted = Math.round((step.frequencyHz - nominal) / UNIT_HZ) - previous
      const delta = Math.max(-32768, Math.min(32767, wanted))
      deltas[i - 1] = delta
      previous += delta
    }
    snr[i] = Number.isFinite(step.snrDb)
      ? Math.max(0, Math.min(255, Math.round(2 * step.snrDb)))
      : 0
    if (step.valid) bits[i >> 3]! |= 1 << (i & 7)
  }
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
  return {
    first,
    deltas: b64(new Uint8Array(deltas.buffer)),
    snrHalfDb: b64(snr),
    validBits: b64(bits),
  }
}

/** The bytes the host signs: JSON in a fixed key order. */
export function canonicalCheckpointBytes(c: EnfCheckpoint): Uint8Array {
  const ordered = {
    v: c.v,
    cameraId: c.cameraId,
    streamId: c.streamId,
    seq: c.seq,
    epochMs: c.epochMs,
    startMs: c.startMs,
    hopMs: c.hopMs,
    frameMs: c.frameMs,
    nominalHz: c.nominalHz,
    sampleRate: c.sampleRate,
    steps: c.steps,
    first: c.first,
    deltas: c.deltas,
    snrHalfDb: c.snrHalfDb,
    validBits: c.validBits,
    quality: {
      validPermille: c.quality.validPermille,
      medianSnrCentiDb: c.quality.medianSnrCentiDb,
    },
    previous: c.previous,
    hostPublicKey: c.hostPublicKey,
    // Only when present, so checkpoints without gaps keep their bytes.
    ...(c.inputGaps?.length
      ? { inputGaps: c.inputGaps.map((g) => ({ fromMs: g.fromMs, toMs: g.toMs })) }
      : {}),
  }
  return new TextEncoder().encode(JSON.stringify(ordered))
}

/** SHA-256 (hex) of a checkpoint's canonical bytes: the next one's `previous`. */
export function checkpointDigest(c: EnfCheckpoint): string {
  return createHash('sha256').update(canonicalCheckpointBytes(c)).digest('hex')
}

/** The ledger record of a signed checkpoint, in `hostId`'s namespace. */
export function checkpointLedgerRecord(signed: SignedEnfCheckpoint, hostId: string): LedgerRecord {
  const body = new TextDecoder().decode(canonicalCheckpointBytes(signed.checkpoint))
  const json = `{"checkpoint":${body},"signature":${JSON.stringify(signed.signature)}}`
  return {
    kind: 'enf_fingerprint',
    key: checkpointKey(hostId, signed.checkpoint.streamId, signed.checkpoint.seq),
    dataHex: Buffer.from(json, 'utf8').toString('hex'),
  }
}

/** Decodes a ledger record into a signed checkpoint (shape-checked; signature not yet verified). */
export function checkpointFromLedgerRecord(record: LedgerRecord): SignedEnfCheckpoint {
  let parsed: Partial<SignedEnfCheckpoint>
  try {
    parsed = JSON.parse(Buffer.from(record.dataHex, 'hex').toString('utf8'))
  } catch (cause) {
    throw new EnfSignatureInvalidError('The stored ENF checkpoint does not decode', { cause })
  }
  const c = parsed.checkpoint
  const ints = (...values: unknown[]) => values.every(Number.isInteger)
  if (
    c?.v !== 1 ||
    typeof parsed.signature !== 'string' ||
    !ints(c.seq, c.epochMs, c.startMs, c.hopMs, c.frameMs, c.sampleRate, c.steps, c.first) ||
    !(c.steps >= 1 && c.hopMs > 0) ||
    typeof c.deltas !== 'string' ||
    typeof c.snrHalfDb !== 'string' ||
    typeof c.validBits !== 'string' ||
    typeof c.hostPublicKey !== 'string' ||
    !c.quality ||
    !(
      c.inputGaps === undefined ||
      (Array.isArray(c.inputGaps) && c.inputGaps.every((g) => ints(g?.fromMs, g?.toMs)))
    )
  ) {
    throw new EnfSignatureInvalidError('The stored ENF checkpoint is malformed', {
      meta: { key: record.key },
    })
  }
  return parsed as SignedEnfCheckpoint
}

/** The steps of a checkpoint: frequency (Hz), SNR (dB) and validity per step. */
export function decodeCheckpointSteps(c: EnfCheckpoint): {
  frequency: Float64Array
  snrDb: Float64Array
  valid: Uint8Array
} {
  const deltaBytes = Buffer.from(c.deltas, 'base64')
  const snrBytes = Buffer.from(c.snrHalfDb, 'base64')
  const bits = Buffer.from(c.validBits, 'base64')
  if (deltaBytes.length !== 2 * (c.steps - 1) || snrBytes.length !== c.steps) {
    throw new EnfSignatureInvalidError(`ENF checkpoint ${c.seq} has the wrong number of steps`)
  }
  const deltas = new Int16Array(
    deltaBytes.buffer.slice(deltaBytes.byteOffset, deltaBytes.byteOffset + deltaBytes.length),
  )
  const frequency = new Float64Array(c.steps)
  const snrDb = new Float64Array(c.steps)
  const valid = new Uint8Array(c.steps)
  let q = c.first
  for (let i = 0; i < c.steps; i++) {
    if (i > 0) q += deltas[i - 1]!
    frequency[i] = c.nominalHz + q * UNIT_HZ
    snrDb[i] = snrBytes[i]! / 2
    valid[i] = (bits[i >> 3]! >> (i & 7)) & 1
  }
  return { frequency, snrDb, valid }
}

/** One track (stream time, seconds) from consecutive checkpoints; gaps are unusable steps. */
export function checkpointsTrack(checkpoints: readonly EnfCheckpoint[]): EnfTrack {
  const first = checkpoints[0]!
  const hopSeconds = first.hopMs / 1000
  const last = checkpoints.at(-1)!
  const length = Math.round((last.startMs - first.startMs) / first.hopMs) + last.steps
  const frequency = new Float64Array(length).fill(first.nominalHz)
  const snrDb = new Float64Array(length).fill(Number.NEGATIVE_INFINITY)
  const valid = new Uint8Array(length)
  for (const c of checkpoints) {
    const at = Math.round((c.startMs - first.startMs) / first.hopMs)
    const steps = decodeCheckpointSteps(c)
    frequency.set(steps.frequency, at)
    snrDb.set(steps.snrDb, at)
    valid.set(steps.valid, at)
  }
  return {
    startSeconds: first.startMs / 1000,
    hopSeconds,
    frequency,
    snrDb,
    valid,
    frameSeconds: first.frameMs / 1000,
  }
}
