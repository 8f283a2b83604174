/**
 * Typed errors of the surveillance pipeline. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** ffmpeg could not open or decode the video input, or is not installed. */
export class SurveilDecodeFailedError extends defineError('SURVEIL_DECODE_FAILED', 'application') {}

/** A fuzzy decision config (membership functions, rules, thresholds) is invalid. */
export class SurveilInvalidConfigError extends defineError(
  'SURVEIL_INVALID_CONFIG',
  'application',
) {}

/** A CLI argument or actor parameter is out of range or missing. */
export class SurveilInvalidParameterError extends defineError(
  'SURVEIL_INVALID_PARAMETER',
  'application',
) {}

/** Every error class of this package; `SurveillanceErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const surveillanceErrors = [
  SurveilDecodeFailedError,
  SurveilInvalidConfigError,
  SurveilInvalidParameterError,
] as const

export type SurveillanceErrorCode = ErrorCodeOf<typeof surveillanceErrors>
