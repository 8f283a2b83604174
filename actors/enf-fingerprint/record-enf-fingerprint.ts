/**
 * Algorithm 1, record_ENF_fingerprint: extract the ENF of a recording, build
 * the canonical fingerprint, sign it with the edge host's key and commit it
 * to the intra-domain ledger. Re-recording the same file by the same host is
 * idempotent (returns the stored receipt).
 */
import type { IntraDomainLedger, Receipt } from '../../ledger/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { assertEnfPresent } from './assert-enf-present.ts'
import { detectDiscontinuities, REFERENCE_DISCONTINUITY_OPTIONS } from './detect-discontinuities.ts'
import {
  buildFingerprint,
  canonicalFingerprintBytes,
  fingerprintKey,
  fromLedgerRecord,
  toLedgerRecord,
} from './enf-fingerprint-record.ts'
import { EnfFingerprintExistsError } from './errors.ts'
import { extractEnf, type Nominal } from './extract-enf.ts'
import type { HostSigner } from './host-signing-key.ts'
import { loadAudio } from './load-audio.ts'
import { sha256File } from './sha256-file.ts'

/** What the fingerprint operations run against. */
export type EnfFingerprintDependencies = {
  ledger: IntraDomainLedger
  core: FftCore
  signer: HostSigner
}

export type RecordEnfFingerprintParameters = {
  /** This host's id (the ledger namespace its records go under). */
  hostId: string
  recordingId: string
  /** The recording on this host's disk (WAV or any media ffmpeg reads). */
  audioPath: string
  nominal: Nominal
  capturedAtMs?: number | null | undefined
  frameSeconds?: number | undefined
}

export type RecordEnfFingerprintResult = {
  fingerprintId: string
  receipt: Receipt
  steps: number
  validFraction: number
  medianSnrDb: number
  hostPublicKey: string
  audioSha256: string
}

/** Extracts, signs and commits a recording's ENF fingerprint. */
export async function recordEnfFingerprint(
  dependencies: EnfFingerprintDependencies,
  parameters: RecordEnfFingerprintParameters,
): Promise<RecordEnfFingerprintResult> {
  const { ledger, core, signer } = dependencies
  const audioSha256 = await sha256File(parameters.audioPath)
  const audio = await loadAudio(parameters.audioPath, { nominal: parameters.nominal })
  const series = extractEnf(audio, {
    nominal: parameters.nominal,
    core,
    frameSeconds: parameters.frameSeconds,
  })
  const presence = assertEnfPresent(series)
  // Stored as the irregularities this file already has, so a later check of it (or of a copy)
  // does not count them as edits: the sensitive reference settings.
  const discontinuities = detectDiscontinuities(audio, series, {
    core,
    ...REFERENCE_DISCONTINUITY_OPTIONS,
  })
  const fingerprint = buildFingerprint(series, {
    discontinuities,
    recordingId: parameters.recordingId,
    capturedAtMs: parameters.capturedAtMs ?? null,
    audioSha256,
    hostPublicKey: signer.publicKeyHex,
  })
  const signature = signer.sign(canonicalFingerprintBytes(fingerprint))
  const key = fingerprintKey(parameters.hostId, parameters.recordingId)
  const summary = {
    fingerprintId: key,
    steps: series.frequency.length,
    validFraction: presence.validFraction,
    medianSnrDb: presence.medianSnrDb,
    hostPublicKey: signer.publicKeyHex,
    audioSha256,
  }
  const existing = await ledger.get(key)
  if (existing) {
    const stored = fromLedgerRecord(existing.record).fingerprint
    if (stored.audioSha256 === audioSha256 && stored.hostPublicKey === signer.publicKeyHex) {
      return { ...summary, receipt: existing }
    }
    throw new EnfFingerprintExistsError(
      `Recording id ${parameters.recordingId} already has a different ENF fingerprint on the ledger`,
      { meta: { key, height: existing.height } },
    )
  }
  const receipt = await ledger.commit(toLedgerRecord({ fingerprint, signature }, parameters.hostId))
  return { ...summary, receipt }
}
