/**
 * ENF (electrical network frequency) for vigil: extraction from recordings,
 * tamper detection against the grid reference, and the fingerprint actor
 * that signs ENF fingerprints onto the intra-domain ledger (the paper's
 * Algorithm 1). Other folders import from here, by name.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint module of the ENF folder
export { assertEnfPresent, type EnfPresence, enfPresence } from './assert-enf-present.ts'
export { enfCommand } from './cli/enf-command.ts'
export {
  type CompareEnfOptions,
  type CompareEnfResult,
  compareEnf,
  type Verdict,
  type WindowScore,
} from './compare-enf.ts'
export { type DecodeMediaOptions, decodeMedia } from './decode-media.ts'
export type {
  CheckpointDetection,
  EnfTamperAlert,
  ReferenceSeries,
  ReferenceSource,
} from './detect-checkpoint-tamper.ts'
export {
  type DetectDiscontinuitiesOptions,
  type Discontinuity,
  detectDiscontinuities,
  REFERENCE_DISCONTINUITY_OPTIONS,
} from './detect-discontinuities.ts'
export {
  checkpointFromLedgerRecord,
  checkpointKey,
  checkpointsTrack,
  type EnfCheckpoint,
  type SignedEnfCheckpoint,
} from './enf-checkpoint.ts'
export { enfFingerprintActor } from './enf-fingerprint-actor.ts'
export {
  type EnfFingerprint,
  fingerprintKey,
  parseFingerprintKey,
  type SignedEnfFingerprint,
} from './enf-fingerprint-record.ts'
export { enfLiveActor } from './enf-live-actor.ts'
export type { EnfTrack } from './enf-track.ts'
export {
  EnfBadReferenceError,
  EnfDecodeFailedError,
  EnfDependencyUnavailableError,
  type EnfErrorCode,
  EnfFingerprintExistsError,
  EnfFingerprintNotFoundError,
  EnfHostUnknownError,
  EnfInputLostError,
  EnfInvalidParameterError,
  EnfNoAudioError,
  EnfNoEnfError,
  EnfNotWavError,
  EnfSignatureInvalidError,
  EnfSigningKeyError,
  EnfTooShortError,
  EnfUnsupportedFormatError,
  enfErrors,
  MediaPathRefusedError,
} from './errors.ts'
export { type EnfSeries, type ExtractEnfOptions, extractEnf, type Nominal } from './extract-enf.ts'
export { gridReferenceActor } from './grid-reference-actor.ts'
export type { HostDirectory, HostOfKey } from './host-directory.ts'
export { generateHostSigningKeyFile, type HostSigner } from './host-signing-key.ts'
export {
  createLiveEnfExtractor,
  type LiveEnfExtractor,
  type LiveEnfOptions,
  type LiveEnfStep,
} from './live-enf-extractor.ts'
export {
  type CommittedCheckpoint,
  createLiveEnfSession,
  type LiveEnfSession,
  type LiveEnfSessionDependencies,
  type LiveEnfSessionOptions,
} from './live-enf-session.ts'
export {
  type EnfLiveArgs,
  enfLiveProtocol,
  type GridReferenceArgs,
  gridReferenceProtocol,
} from './live-protocol.ts'
export { type LoadAudioOptions, loadAudio } from './load-audio.ts'
export { loadRecordingOrSeries, loadReference } from './load-reference.ts'
export { type MediaRoot, openMediaRoot, resolveMediaPath } from './media-root.ts'
export { type EnfFingerprintArgs, enfFingerprintProtocol, MAX_UPLOAD_BYTES } from './protocol.ts'
export { formatEnfCsv, readEnfCsv } from './read-enf-csv.ts'
export { type ReadLiveAudioOptions, readLiveAudio } from './read-live-audio.ts'
export { type MonoAudio, readWav, type WavInfo } from './read-wav.ts'
export {
  type RecordEnfFingerprintParameters,
  type RecordEnfFingerprintResult,
  recordEnfFingerprint,
} from './record-enf-fingerprint.ts'
export { createReferenceSeriesStore, type ReferenceSeriesStore } from './reference-series-store.ts'
export { type SignerTrust, trustSigner } from './trust-signer.ts'
export { type VerifyEnfCheckpointsResult, verifyEnfCheckpoints } from './verify-enf-checkpoints.ts'
export {
  type VerifyEnfFingerprintDependencies,
  type VerifyEnfFingerprintParameters,
  type VerifyEnfFingerprintResult,
  verifyEnfFingerprint,
} from './verify-enf-fingerprint.ts'
