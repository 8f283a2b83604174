/**
 * Typed errors of the surveillance pipeline. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { BaseError, type BaseErrorOptions, type ErrorCodeOf } from '../../runtime/index.ts'

/** ffmpeg could not open or decode the video input, or is not installed. */
export class SurveilDecodeFailedError extends BaseError {
  static override readonly code = 'SURVEIL_DECODE_FAILED'
  override name = 'SurveilDecodeFailedError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(SurveilDecodeFailedError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A fuzzy decision config (membership functions, rules, thresholds) is invalid. */
export class SurveilInvalidConfigError extends BaseError {
  static override readonly code = 'SURVEIL_INVALID_CONFIG'
  override name = 'SurveilInvalidConfigError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(SurveilInvalidConfigError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A CLI argument or actor parameter is out of range or missing. */
export class SurveilInvalidParameterError extends BaseError {
  static override readonly code = 'SURVEIL_INVALID_PARAMETER'
  override name = 'SurveilInvalidParameterError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(SurveilInvalidParameterError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** Every error class of this package; `SurveillanceErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const surveillanceErrors = [
  SurveilDecodeFailedError,
  SurveilInvalidConfigError,
  SurveilInvalidParameterError,
] as const

export type SurveillanceErrorCode = ErrorCodeOf<typeof surveillanceErrors>
