/**
 * Typed errors of the data integrity service. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** The host key file is missing or holds no Ed25519 private key. */
export class IntegrityKeyError extends defineError('INTEGRITY_KEY', 'runtime') {}

/** A record cannot be canonicalized (a value JSON cannot hold) or is given twice in one call. */
export class IntegrityRecordInvalidError extends defineError(
  'INTEGRITY_RECORD_INVALID',
  'application',
) {}

/** The ledger is behind: nothing of the call was committed; retry later or send smaller calls. */
export class IntegrityBackpressureError extends defineError(
  'INTEGRITY_BACKPRESSURE',
  'application',
) {}

/** The ledger (or the fog database) could not be reached or answered something unusable. */
export class IntegrityDependencyError extends defineError(
  'INTEGRITY_DEPENDENCY_UNAVAILABLE',
  'runtime',
) {}

/** Every error class of this package; `IntegrityErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const integrityErrors = [
  IntegrityKeyError,
  IntegrityRecordInvalidError,
  IntegrityBackpressureError,
  IntegrityDependencyError,
] as const

export type IntegrityErrorCode = ErrorCodeOf<typeof integrityErrors>
