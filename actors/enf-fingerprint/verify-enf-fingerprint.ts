/**
 * Algorithm 1, verify_ENF_fingerprint: fetch the fingerprint from the
 * intra-domain ledger, check the edge host's signature, extract the ENF of
 * the presented recording (or read a reference series) and correlate the two.
 *
 * The paper's pseudo-code accepted when the correlation was *below* the
 * threshold; here the correlation must reach it (r ≥ threshold), and, because
 * one r over smooth ENF is weak evidence (notes/enf.md §5), the robust
 * comparison must also call the pair authentic for `passed` to be true.
 */
import type { Receipt } from '../../ledger/protocol.ts'
import { type CompareEnfResult, compareEnf } from './compare-enf.ts'
import {
  canonicalFingerprintBytes,
  fingerprintKey,
  fingerprintTrack,
  fromLedgerRecord,
} from './enf-fingerprint-record.ts'
import { EnfFingerprintNotFoundError, EnfSignatureInvalidError } from './errors.ts'
import { verifyHostSignature } from './host-signing-key.ts'
import { loadRecordingOrSeries } from './load-reference.ts'
import { type EnfFingerprintDependencies, sha256File } from './record-enf-fingerprint.ts'

export type VerifyEnfFingerprintParameters = {
  recordingId: string
  /** The recording presented for verification (audio/media), or an ENF CSV. */
  candidatePath: string
  /** Correlation threshold (default 0.8, the paper's). */
  threshold?: number | undefined
  /** Accept only fingerprints signed by these host keys (hex); absent: any valid signature. */
  trustedHosts?: readonly string[] | undefined
}

export type VerifyEnfFingerprintResult = {
  passed: boolean
  /** Pearson r between the stored and the presented ENF over their aligned overlap. */
  correlation: number
  threshold: number
  correlationReached: boolean
  verdict: CompareEnfResult['verdict']
  reason: string
  tamperedSpans: CompareEnfResult['tampered_spans']
  /** The presented file is byte-identical to the fingerprinted one. */
  sameFile: boolean
  hostPublicKey: string
  receipt: Pick<Receipt, 'height' | 'txHash' | 'batchRoot' | 'leafHash' | 'chainId'>
}

/** Verifies a presented recording against its stored, signed ENF fingerprint. */
export async function verifyEnfFingerprint(
  dependencies: Pick<EnfFingerprintDependencies, 'ledger' | 'core'>,
  parameters: VerifyEnfFingerprintParameters,
): Promise<VerifyEnfFingerprintResult> {
  const threshold = parameters.threshold ?? 0.8
  const key = fingerprintKey(parameters.recordingId)
  const receipt = await dependencies.ledger.get(key)
  if (!receipt) {
    throw new EnfFingerprintNotFoundError(
      `No ENF fingerprint on the ledger for ${parameters.recordingId}`,
      {
        meta: { key },
      },
    )
  }
  const { fingerprint, signature } = fromLedgerRecord(receipt.record)
  if (
    !verifyHostSignature(
      fingerprint.hostPublicKey,
      canonicalFingerprintBytes(fingerprint),
      signature,
    )
  ) {
    throw new EnfSignatureInvalidError(
      `The ENF fingerprint of ${parameters.recordingId} has an invalid signature`,
      {
        meta: { key, hostPublicKey: fingerprint.hostPublicKey },
      },
    )
  }
  if (parameters.trustedHosts && !parameters.trustedHosts.includes(fingerprint.hostPublicKey)) {
    throw new EnfSignatureInvalidError(
      `The ENF fingerprint of ${parameters.recordingId} was signed by a host that is not trusted`,
      { meta: { key, hostPublicKey: fingerprint.hostPublicKey } },
    )
  }
  const stored = fingerprintTrack(fingerprint)
  const candidate = await loadRecordingOrSeries(parameters.candidatePath, {
    nominal: fingerprint.nominalHz,
    core: dependencies.core,
    frameSeconds: fingerprint.frameMs / 1000,
  })
  const comparison = compareEnf(candidate.track, stored, {
    discontinuities: candidate.discontinuities,
    referenceDiscontinuities: fingerprint.discontinuitiesMs.map((ms) => ({
      time_s: ms / 1000,
      jump_rad: 0,
      score: 0,
    })),
  })
  const correlation = comparison.r_overall
  const correlationReached = Number.isFinite(correlation) && correlation >= threshold
  let sameFile = false
  try {
    sameFile = (await sha256File(parameters.candidatePath)) === fingerprint.audioSha256
  } catch {
    sameFile = false
  }
  return {
    passed: correlationReached && comparison.verdict === 'authentic',
    correlation,
    threshold,
    correlationReached,
    verdict: comparison.verdict,
    reason: comparison.reason,
    tamperedSpans: comparison.tampered_spans,
    sameFile,
    hostPublicKey: fingerprint.hostPublicKey,
    receipt: {
      height: receipt.height,
      txHash: receipt.txHash,
      batchRoot: receipt.batchRoot,
      leafHash: receipt.leafHash,
      chainId: receipt.chainId,
    },
  }
}
