/**
 * Typed errors of ENF extraction, comparison and the fingerprint actor. Each
 * code has a section in docs/errors.md; messages say what to fix.
 */
import { BaseError, type BaseErrorOptions, type ErrorCodeOf } from '../../runtime/index.ts'

/** The bytes are not a RIFF/WAVE file (or are truncated). */
export class EnfNotWavError extends BaseError {
  static override readonly code = 'ENF_NOT_WAV'
  override name = 'EnfNotWavError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfNotWavError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A WAV file in a sample format the parser does not read. */
export class EnfUnsupportedFormatError extends BaseError {
  static override readonly code = 'ENF_UNSUPPORTED_FORMAT'
  override name = 'EnfUnsupportedFormatError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfUnsupportedFormatError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** ffmpeg could not decode the file, or is not installed. */
export class EnfDecodeFailedError extends BaseError {
  static override readonly code = 'ENF_DECODE_FAILED'
  override name = 'EnfDecodeFailedError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfDecodeFailedError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A live input's ffmpeg died or exited with an error after audio had started to arrive. */
export class EnfInputLostError extends BaseError {
  static override readonly code = 'ENF_INPUT_LOST'
  override name = 'EnfInputLostError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfInputLostError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The media file has no audio stream (or no samples). */
export class EnfNoAudioError extends BaseError {
  static override readonly code = 'ENF_NO_AUDIO'
  override name = 'EnfNoAudioError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfNoAudioError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The signal or ENF series is shorter than one analysis frame or comparison window. */
export class EnfTooShortError extends BaseError {
  static override readonly code = 'ENF_TOO_SHORT'
  override name = 'EnfTooShortError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfTooShortError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** No usable ENF line was found (no hum, or the wrong nominal frequency). */
export class EnfNoEnfError extends BaseError {
  static override readonly code = 'ENF_NO_ENF'
  override name = 'EnfNoEnfError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfNoEnfError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** An extraction or comparison parameter is out of range (nominal, frame, window, rate). */
export class EnfInvalidParameterError extends BaseError {
  static override readonly code = 'ENF_INVALID_PARAMETER'
  override name = 'EnfInvalidParameterError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfInvalidParameterError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A reference ENF series (CSV) could not be parsed. */
export class EnfBadReferenceError extends BaseError {
  static override readonly code = 'ENF_BAD_REFERENCE'
  override name = 'EnfBadReferenceError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfBadReferenceError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** No ENF fingerprint is stored on the ledger under the given id. */
export class EnfFingerprintNotFoundError extends BaseError {
  static override readonly code = 'ENF_FINGERPRINT_NOT_FOUND'
  override name = 'EnfFingerprintNotFoundError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfFingerprintNotFoundError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A stored fingerprint's signature does not verify (tampered record or wrong key). */
export class EnfSignatureInvalidError extends BaseError {
  static override readonly code = 'ENF_SIGNATURE_INVALID'
  override name = 'EnfSignatureInvalidError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfSignatureInvalidError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The edge host's signing key file is missing or malformed. */
export class EnfSigningKeyError extends BaseError {
  static override readonly code = 'ENF_SIGNING_KEY'
  override name = 'EnfSigningKeyError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfSigningKeyError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** A different fingerprint is already stored under this recording id (ledger keys are write-once). */
export class EnfFingerprintExistsError extends BaseError {
  static override readonly code = 'ENF_FINGERPRINT_EXISTS'
  override name = 'EnfFingerprintExistsError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfFingerprintExistsError.code, shortMessage, { kind: 'application', ...options })
  }
}

/**
 * A media path from a request is not a regular file under the host's media root (outside it,
 * with `..`, through a symbolic link, or missing). One message for every case, so a caller
 * learns nothing about files it may not read.
 */
export class MediaPathRefusedError extends BaseError {
  static override readonly code = 'MEDIA_PATH_REFUSED'
  override name = 'MediaPathRefusedError'
  constructor(options: BaseErrorOptions = {}) {
    super(
      MediaPathRefusedError.code,
      "The media path is refused: give the path of a regular file inside this host's media folder (relative to it), without '..' or symbolic links, or send the file's bytes instead",
      { kind: 'application', ...options },
    )
  }
}

/** The identity actor knows no host with this actor's signing key, so it has no ledger namespace. */
export class EnfHostUnknownError extends BaseError {
  static override readonly code = 'ENF_HOST_UNKNOWN'
  override name = 'EnfHostUnknownError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(EnfHostUnknownError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/**
 * An actor the ENF actor depends on (the ledger or the identity actor) did not answer. Raised in
 * place of the dependency's own runtime error, so that a router never reads, say, the identity
 * actor's ACTOR_NOT_FOUND as the ENF actor's. `meta` names the actor and its error code.
 */
export class EnfDependencyUnavailableError extends BaseError {
  static override readonly code = 'ENF_DEPENDENCY_UNAVAILABLE'
  override name = 'EnfDependencyUnavailableError'
  constructor(actor: string, code: string) {
    super(
      EnfDependencyUnavailableError.code,
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
