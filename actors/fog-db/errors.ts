/**
 * Typed errors of the fog master database. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { BaseError, type BaseErrorOptions, type ErrorCodeOf } from '../../runtime/index.ts'

/** The database cannot be opened, migrated or written. */
export class FogDatabaseError extends BaseError {
  static override readonly code = 'FOG_DATABASE'
  override name = 'FogDatabaseError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FogDatabaseError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** A batch failed verification at ingest; nothing of it was stored. */
export class FogBatchRefusedError extends BaseError {
  static override readonly code = 'FOG_BATCH_REFUSED'
  override name = 'FogBatchRefusedError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FogBatchRefusedError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** A record id already holds another hash (records are write-once per table and id); nothing was stored. */
export class FogRecordConflictError extends BaseError {
  static override readonly code = 'FOG_RECORD_CONFLICT'
  override name = 'FogRecordConflictError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FogRecordConflictError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** `fogdb.store_verified` from an actor that is not one of the fog-db's verifiers; nothing was stored. */
export class FogCallerRefusedError extends BaseError {
  static override readonly code = 'FOG_CALLER_REFUSED'
  override name = 'FogCallerRefusedError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FogCallerRefusedError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** Every error class of this package; `FogDbErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const fogDbErrors = [
  FogDatabaseError,
  FogBatchRefusedError,
  FogRecordConflictError,
  FogCallerRefusedError,
] as const

export type FogDbErrorCode = ErrorCodeOf<typeof fogDbErrors>
