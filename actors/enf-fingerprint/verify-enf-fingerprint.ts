/**
 * Algorithm 1, verify_ENF_fingerprint: fetch the fingerprint from the
 * intra-domain ledger, check the edge host's signature, extract the ENF of
 * the presented recording (or read a reference series) and correlate the two.
 *
 * The paper's pseudo-code accepted when the correlation was *below* the
 * threshold; here the correlation must reach it (r ≥ threshold), and, because
 * one r over smooth ENF is weak evidence (docs/enf.md, Detection), the robust
 * comparison must also call the pair authentic for `passed` to be true.
 *
 * A valid signature is not enough: the signing key must belong to a host
 * registered in this host's zone, the same host whose namespace holds the
 * record (trust-signer.ts). Otherwise the answer is "not verified" with the
 * reason, and the recording is not compared at all.
 */
import type { Receipt } from '../../ledger/index.ts'
import { type CompareEnfResult, compareEnf } from './compare-enf.ts'
import {
  canonicalFingerprintBytes,
  fingerprintKey,
  fingerprintTrack,
  fromLedgerRecord,
} from './enf-fingerprint-record.ts'
import { EnfFingerprintNotFoundError, EnfSignatureInvalidError } from './errors.ts'
import type { HostDirectory } from './host-directory.ts'
import { verifyHostSignature } from './host-signing-key.ts'
import { loadRecordingOrSeries } from './load-reference.ts'
import type { EnfFingerprintDependencies } from './record-enf-fingerprint.ts'
import { sha256File } from './sha256-file.ts'
import { trustSigner } from './trust-signer.ts'

/** What verification runs against: the ledger, the FFT core, who is registered, and who asks. */
export type VerifyEnfFingerprintDependencies = Pick<
  EnfFingerprintDependencies,
  'ledger' | 'core'
> & {
  /** The identity actor's view of hosts and zones. */
  hosts: HostDirectory
  /** The verifying host's own public key (hex): its zone is the trusted one. */
  verifierKeyHex: string
}

export type VerifyEnfFingerprintParameters = {
  /** The host that recorded it (the ledger namespace of the fingerprint). */
  hostId: string
  recordingId: string
  /** The recording presented for verification (audio/media), or an ENF CSV. */
  candidatePath: string
  /** Correlation threshold (default 0.8, the paper's). */
  threshold?: number | undefined
}

export type VerifyEnfFingerprintResult = {
  passed: boolean
  /** Pearson r between the stored and the presented ENF over their aligned overlap. */
  correlation: number
  threshold: number
  correlationReached: boolean
  verdict: CompareEnfResult['verdict']
  reason: string
  tamperedSpans: CompareEnfResult['tamperedSpans']
  /** The presented file is byte-identical to the fingerprinted one. */
  sameFile: boolean
  hostPublicKey: string
  /** The host the signing key belongs to (null: no enrolled host). */
  signerHostId: string | null
  /** The signer is a registered host of this zone and owns the record's namespace. */
  signerTrusted: boolean
  receipt: Pick<Receipt, 'height' | 'txHash' | 'batchRoot' | 'leafHash' | 'chainId'>
}

type StoredFingerprint = ReturnType<typeof fromLedgerRecord>['fingerprint']

/** Reads the fingerprint under the key and checks its signature (not yet who signed it). */
async function signedFingerprint(
  ledger: VerifyEnfFingerprintDependencies['ledger'],
  key: string,
  recordingId: string,
): Promise<{ receipt: Receipt; fingerprint: StoredFingerprint }> {
  const receipt = await ledger.get(key)
  if (!receipt) {
    throw new EnfFingerprintNotFoundError(`No ENF fingerprint on the ledger for ${recordingId}`, {
      meta: { key },
    })
  }
  const { fingerprint, signature } = fromLedgerRecord(receipt.record)
  const bytes = canonicalFingerprintBytes(fingerprint)
  if (!verifyHostSignature(fingerprint.hostPublicKey, bytes, signature)) {
    throw new EnfSignatureInvalidError(
      `The ENF fingerprint of ${recordingId} has an invalid signature`,
      { meta: { key, hostPublicKey: fingerprint.hostPublicKey } },
    )
  }
  return { receipt, fingerprint }
}

/** True when the presented file is byte-identical to the fingerprinted one. */
async function isSameFile(path: string, audioSha256: string): Promise<boolean> {
  try {
    return (await sha256File(path)) === audioSha256
  } catch {
    return false
  }
}

/** Verifies a presented recording against its stored, signed ENF fingerprint. */
export async function verifyEnfFingerprint(
  dependencies: VerifyEnfFingerprintDependencies,
  parameters: VerifyEnfFingerprintParameters,
): Promise<VerifyEnfFingerprintResult> {
  const threshold = parameters.threshold ?? 0.8
  const key = fingerprintKey(parameters.hostId, parameters.recordingId)
  const { receipt, fingerprint } = await signedFingerprint(
    dependencies.ledger,
    key,
    parameters.recordingId,
  )
  const trust = await trustSigner(dependencies.hosts, {
    signerKeyHex: fingerprint.hostPublicKey,
    namespaceHostId: parameters.hostId,
    verifierKeyHex: dependencies.verifierKeyHex,
  })
  const sameFile = await isSameFile(parameters.candidatePath, fingerprint.audioSha256)
  const common = {
    threshold,
    sameFile,
    hostPublicKey: fingerprint.hostPublicKey,
    signerHostId: trust.hostId,
    signerTrusted: trust.trusted,
    receipt: {
      height: receipt.height,
      txHash: receipt.txHash,
      batchRoot: receipt.batchRoot,
      leafHash: receipt.leafHash,
      chainId: receipt.chainId,
    },
  }
  if (!trust.trusted) {
    return {
      ...common,
      passed: false,
      correlation: Number.NaN,
      correlationReached: false,
      verdict: 'inconclusive',
      reason: `Not verified: ${trust.reason}`,
      tamperedSpans: [],
    }
  }
  const comparison = await compareWithStored(dependencies, parameters.candidatePath, fingerprint)
  const correlation = comparison.rOverall
  const correlationReached = Number.isFinite(correlation) && correlation >= threshold
  return {
    ...common,
    passed: correlationReached && comparison.verdict === 'authentic',
    correlation,
    correlationReached,
    verdict: comparison.verdict,
    reason: comparison.reason,
    tamperedSpans: comparison.tamperedSpans,
  }
}

/** Extracts the presented recording's ENF with the fingerprint's settings and compares. */
async function compareWithStored(
  dependencies: Pick<VerifyEnfFingerprintDependencies, 'core'>,
  candidatePath: string,
  fingerprint: StoredFingerprint,
): Promise<CompareEnfResult> {
  const candidate = await loadRecordingOrSeries(candidatePath, {
    nominal: fingerprint.nominalHz,
    core: dependencies.core,
    frameSeconds: fingerprint.frameMs / 1000,
  })
  return compareEnf(candidate.track, fingerprintTrack(fingerprint), {
    discontinuities: candidate.discontinuities,
    referenceDiscontinuities: fingerprint.discontinuitiesMs.map((ms) => ({
      timeSeconds: ms / 1000,
      jumpRad: 0,
      score: 0,
    })),
  })
}
