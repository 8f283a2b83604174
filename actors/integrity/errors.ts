/**
 * Typed errors of the data integrity service. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { BaseError, type BaseErrorOptions, type ErrorCodeOf } from '../../runtime/index.ts'

/** The host key file is missing or holds no Ed25519 private key. */
export class IntegrityKeyError extends BaseError {
  static override readonly code = 'INTEGRITY_KEY'
  override name = 'IntegrityKeyError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(IntegrityKeyError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** A record cannot be canonicalized (a value JSON cannot hold) or is given twice in one call. */
export class IntegrityRecordInvalidError extends BaseError {
  static override readonly code = 'INTEGRITY_RECORD_INVALID'
  override name = 'IntegrityRecordInvalidError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(IntegrityRecordInvalidError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The ledger is behind: nothing of the call was committed; retry later or send smaller calls. */
export class IntegrityBackpressureError extends BaseError {
  static override readonly code = 'INTEGRITY_BACKPRESSURE'
  override name = 'IntegrityBackpressureError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(IntegrityBackpressureError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The ledger (or the fog database) could not be reached or answered something unusable. */
export class IntegrityDependencyError extends BaseError {
  static override readonly code = 'INTEGRITY_DEPENDENCY_UNAVAILABLE'
  override name = 'IntegrityDependencyError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(IntegrityDependencyError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** Every error class of this package; `IntegrityErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const integrityErrors = [
  IntegrityKeyError,
  IntegrityRecordInvalidError,
  IntegrityBackpressureError,
  IntegrityDependencyError,
] as const

export type IntegrityErrorCode = ErrorCodeOf<typeof integrityErrors>
