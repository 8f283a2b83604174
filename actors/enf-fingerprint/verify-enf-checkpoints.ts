/**
 * `enf.verify` for a live stream (docs/enf.md, Live): a stored recording of
 * the stream checked against the checkpoints committed while it was made.
 * Every checkpoint `enfcp:<hostId>/<streamId>/<seq>` from 0 on is fetched;
 * its receipt must verify, its signature too, each must name the digest of
 * the one before (none missing or reordered), all signed by one key that
 * belongs to a registered host of this zone owning the namespace
 * (trust-signer.ts). Then the recording is decoded the way the stream was
 * (ffmpeg, the checkpoints' PCM rate), its ENF extracted the same way, and
 * compared with the committed series; the checkpoints that overlap a
 * tampered span are named. A recording without an audio track is
 * `inconclusive`, with that reason.
 */
import { verifyReceipt } from '../../ledger/index.ts'
import { type CompareEnfResult, compareEnf } from './compare-enf.ts'
import { decodeMedia } from './decode-media.ts'
import {
  canonicalCheckpointBytes,
  checkpointDigest,
  checkpointFromLedgerRecord,
  checkpointKey,
  checkpointsTrack,
  type EnfCheckpoint,
} from './enf-checkpoint.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfFingerprintNotFoundError, EnfNoAudioError, EnfSignatureInvalidError } from './errors.ts'
import { verifyHostSignature } from './host-signing-key.ts'
import { createLiveEnfExtractor } from './live-enf-extractor.ts'
import { trustSigner } from './trust-signer.ts'
import type { VerifyEnfFingerprintDependencies } from './verify-enf-fingerprint.ts'

/** Most checkpoints one verification reads (a day at 30 s). */
const MAX_CHECKPOINTS = 2880

export type VerifyEnfCheckpointsResult = {
  passed: boolean
  verdict: CompareEnfResult['verdict']
  reason: string
  checkpoints: number
  /** Stream time the checkpoints cover (s). */
  coveredSeconds: { start: number; end: number }
  tamperedSpans: CompareEnfResult['tamperedSpans']
  /** Checkpoints overlapping a tampered span. */
  mismatchedCheckpoints: { seq: number; startSeconds: number; endSeconds: number }[]
  hostPublicKey: string
  signerHostId: string | null
  signerTrusted: boolean
}

/** Fetches and checks every checkpoint of the stream (receipt, signature, chain). */
async function loadCheckpoints(
  ledger: VerifyEnfFingerprintDependencies['ledger'],
  hostId: string,
  streamId: string,
): Promise<EnfCheckpoint[]> {
  const out: EnfCheckpoint[] = []
  for (let seq = 0; seq < MAX_CHECKPOINTS; seq++) {
    const receipt = await ledger.get(checkpointKey(hostId, streamId, seq))
    if (!receipt) break
    const check = verifyReceipt(receipt)
    if (!check.valid)
      throw new EnfSignatureInvalidError(
        `The receipt of checkpoint ${seq} does not verify: ${check.reason}`,
      )
    const { checkpoint, signature } = checkpointFromLedgerRecord(receipt.record)
    const previous = out.at(-1)
    if (
      checkpoint.seq !== seq ||
      checkpoint.streamId !== streamId ||
      checkpoint.previous !== (previous ? checkpointDigest(previous) : null) ||
      (previous && checkpoint.hostPublicKey !== previous.hostPublicKey)
    ) {
      throw new EnfSignatureInvalidError(
        `Checkpoint ${seq} does not follow checkpoint ${seq - 1} of the stream`,
      )
    }
    if (
      !verifyHostSignature(
        checkpoint.hostPublicKey,
        canonicalCheckpointBytes(checkpoint),
        signature,
      )
    ) {
      throw new EnfSignatureInvalidError(`The signature of checkpoint ${seq} does not verify`)
    }
    out.push(checkpoint)
  }
  if (out.length === 0) {
    throw new EnfFingerprintNotFoundError(
      `No ENF checkpoints of stream ${streamId} by host ${hostId} on the ledger`,
    )
  }
  return out
}

/** The candidate's ENF as the live stream extracted it, or null when it has no audio. */
async function candidateTrack(
  path: string,
  first: EnfCheckpoint,
  core: VerifyEnfFingerprintDependencies['core'],
): Promise<EnfTrack | null> {
  let audio: Awaited<ReturnType<typeof decodeMedia>>
  try {
    audio = await decodeMedia(path, { sampleRate: first.sampleRate })
  } catch (error) {
    if (error instanceof EnfNoAudioError) return null
    throw error
  }
  const extractor = createLiveEnfExtractor({
    nominal: first.nominalHz,
    sampleRate: first.sampleRate,
    core,
    frameSeconds: first.frameMs / 1000,
  })
  const steps = extractor.push(audio.samples)
  return {
    startSeconds: extractor.startSeconds,
    hopSeconds: extractor.hopSeconds,
    frequency: Float64Array.from(steps, (s) => s.frequencyHz),
    snrDb: Float64Array.from(steps, (s) => s.snrDb),
    valid: Uint8Array.from(steps, (s) => (s.valid ? 1 : 0)),
    frameSeconds: extractor.frameSeconds,
  }
}

/** Verifies a stored recording of a live stream against the stream's committed checkpoints. */
export async function verifyEnfCheckpoints(
  dependencies: VerifyEnfFingerprintDependencies,
  parameters: { hostId: string; streamId: string; candidatePath: string },
): Promise<VerifyEnfCheckpointsResult> {
  const checkpoints = await loadCheckpoints(
    dependencies.ledger,
    parameters.hostId,
    parameters.streamId,
  )
  const first = checkpoints[0]!
  const last = checkpoints.at(-1)!
  const base = {
    checkpoints: checkpoints.length,
    coveredSeconds: {
      start: first.startMs / 1000,
      end: (last.startMs + (last.steps - 1) * last.hopMs) / 1000,
    },
    tamperedSpans: [],
    mismatchedCheckpoints: [],
    hostPublicKey: first.hostPublicKey,
  }
  const trust = await trustSigner(dependencies.hosts, {
    signerKeyHex: first.hostPublicKey,
    namespaceHostId: parameters.hostId,
    verifierKeyHex: dependencies.verifierKeyHex,
  })
  if (!trust.trusted) {
    const reason = trust.reason.replace('The fingerprint', 'The checkpoint')
    return {
      ...base,
      passed: false,
      verdict: 'inconclusive',
      reason,
      signerHostId: trust.hostId,
      signerTrusted: false,
    }
  }
  const signer = { signerHostId: trust.hostId, signerTrusted: true }
  const candidate = await candidateTrack(parameters.candidatePath, first, dependencies.core)
  if (!candidate || candidate.frequency.length < 30) {
    const reason = candidate
      ? 'The recording is too short for one 30 s comparison window'
      : 'The recording has no audio track, so its ENF cannot be checked against the checkpoints'
    return { ...base, ...signer, passed: false, verdict: 'inconclusive', reason }
  }
  const result = compareEnf(candidate, checkpointsTrack(checkpoints), {
    referenceOffsetSeconds: 0,
    maxLagSeconds: 2,
  })
  const mismatched = checkpoints
    .map((c) => ({
      seq: c.seq,
      startSeconds: c.startMs / 1000,
      endSeconds: (c.startMs + (c.steps - 1) * c.hopMs) / 1000,
    }))
    .filter((c) =>
      result.tamperedSpans.some(
        (s) => s.endSeconds >= c.startSeconds && s.startSeconds <= c.endSeconds,
      ),
    )
  return {
    ...base,
    ...signer,
    passed: result.verdict === 'authentic',
    verdict: result.verdict,
    reason: result.reason,
    tamperedSpans: result.tamperedSpans,
    mismatchedCheckpoints: mismatched,
  }
}
