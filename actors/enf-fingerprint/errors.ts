/**
 * Typed errors of ENF extraction, comparison and the fingerprint actor. Each
 * code has a section in docs/errors.md; messages say what to fix.
 */
import { type BaseErrorOptions, defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** The bytes are not a RIFF/WAVE file (or are truncated). */
export class EnfNotWavError extends defineError('ENF_NOT_WAV', 'application') {}

/** A WAV file in a sample format the parser does not read. */
export class EnfUnsupportedFormatError extends defineError(
  'ENF_UNSUPPORTED_FORMAT',
  'application',
) {}

/** ffmpeg could not decode the file, or is not installed. */
export class EnfDecodeFailedError extends defineError('ENF_DECODE_FAILED', 'application') {}

/** A live input's ffmpeg died or exited with an error after audio had started to arrive. */
export class EnfInputLostError extends defineError('ENF_INPUT_LOST', 'application') {}

/** The media file has no audio stream (or no samples). */
export class EnfNoAudioError extends defineError('ENF_NO_AUDIO', 'application') {}

/** The signal or ENF series is shorter than one analysis frame or comparison window. */
export class EnfTooShortError extends defineError('ENF_TOO_SHORT', 'application') {}

/** No usable ENF line was found (no hum, or the wrong nominal frequency). */
export class EnfNoEnfError extends defineError('ENF_NO_ENF', 'application') {}

/** An extraction or comparison parameter is out of range (nominal, frame, window, rate). */
export class EnfInvalidParameterError extends defineError('ENF_INVALID_PARAMETER', 'application') {}

/** A reference ENF series (CSV) could not be parsed. */
export class EnfBadReferenceError extends defineError('ENF_BAD_REFERENCE', 'application') {}

/** No ENF fingerprint is stored on the ledger under the given id. */
export class EnfFingerprintNotFoundError extends defineError(
  'ENF_FINGERPRINT_NOT_FOUND',
  'application',
) {}

/** A stored fingerprint's signature does not verify (tampered record or wrong key). */
export class EnfSignatureInvalidError extends defineError('ENF_SIGNATURE_INVALID', 'application') {}

/** The edge host's signing key file is missing or malformed. */
export class EnfSigningKeyError extends defineError('ENF_SIGNING_KEY', 'runtime') {}

/** A different fingerprint is already stored under this recording id (ledger keys are write-once). */
export class EnfFingerprintExistsError extends defineError(
  'ENF_FINGERPRINT_EXISTS',
  'application',
) {}

/**
 * A media path from a request is not a regular file under the host's media root (outside it,
 * with `..`, through a symbolic link, or missing). One message for every case, so a caller
 * learns nothing about files it may not read.
 */
export class MediaPathRefusedError extends defineError('MEDIA_PATH_REFUSED') {
  constructor(options: BaseErrorOptions = {}) {
    super(
      "The media path is refused: give the path of a regular file inside this host's media folder (relative to it), without '..' or symbolic links, or send the file's bytes instead",
      { kind: 'application', ...options },
    )
  }
}

/** The identity actor knows no host with this actor's signing key, so it has no ledger namespace. */
export class EnfHostUnknownError extends defineError('ENF_HOST_UNKNOWN', 'runtime') {}

/**
 * An actor the ENF actor depends on (the ledger or the identity actor) did not answer. Raised in
 * place of the dependency's own runtime error, so that a router never reads, say, the identity
 * actor's ACTOR_NOT_FOUND as the ENF actor's. `meta` names the actor and its error code.
 */
export class EnfDependencyUnavailableError extends defineError('ENF_DEPENDENCY_UNAVAILABLE') {
  constructor(actor: string, code: string) {
    super(
      `The actor '${actor}' the ENF actor relies on did not answer (${code}): check that it is deployed and running, and the ENF actor's arguments name it`,
      { kind: 'runtime', meta: { actor, code } },
    )
  }
}

/** Every error class of this package; `EnfErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const enfErrors = [
  EnfNotWavError,
  EnfUnsupportedFormatError,
  EnfDecodeFailedError,
  EnfInputLostError,
  EnfNoAudioError,
  EnfTooShortError,
  EnfNoEnfError,
  EnfInvalidParameterError,
  EnfBadReferenceError,
  EnfFingerprintNotFoundError,
  EnfSignatureInvalidError,
  EnfSigningKeyError,
  EnfFingerprintExistsError,
  MediaPathRefusedError,
  EnfHostUnknownError,
  EnfDependencyUnavailableError,
] as const

export type EnfErrorCode = ErrorCodeOf<typeof enfErrors>
