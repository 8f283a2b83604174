/**
 * Typed errors of the fog master database. Each code has a section in
 * docs/errors.md; messages say what to fix.
 */
import { defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** The database cannot be opened, migrated or written. */
export class FogDatabaseError extends defineError('FOG_DATABASE', 'runtime') {}

/** A batch failed verification at ingest; nothing of it was stored. */
export class FogBatchRefusedError extends defineError('FOG_BATCH_REFUSED', 'application') {}

/** A record id already holds another hash (records are write-once per table and id); nothing was stored. */
export class FogRecordConflictError extends defineError('FOG_RECORD_CONFLICT', 'application') {}

/** `fogdb.store_verified` from an actor that is not one of the fog-db's verifiers; nothing was stored. */
export class FogCallerRefusedError extends defineError('FOG_CALLER_REFUSED', 'application') {}

/** Every error class of this package; `FogDbErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const fogDbErrors = [
  FogDatabaseError,
  FogBatchRefusedError,
  FogRecordConflictError,
  FogCallerRefusedError,
] as const

export type FogDbErrorCode = ErrorCodeOf<typeof fogDbErrors>
