/**
 * Typed errors of the privacy service (docs/errors.md). A frame that fails
 * authentication is refused with one of these, never shown.
 */
import { defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** A region did not authenticate: wrong key, altered ciphertext or tag, or another frame's sidecar. */
export class PrivacyTamperedError extends defineError('PRIVACY_TAMPERED', 'application') {}

/** A sidecar is malformed or does not fit its frame (size, boxes, nonces, key ids). */
export class PrivacySidecarInvalidError extends defineError(
  'PRIVACY_SIDECAR_INVALID',
  'application',
) {}

/** The caller may not have what it asked for (policy or capability), or was revoked. */
export class PrivacyNotAllowedError extends defineError('PRIVACY_NOT_ALLOWED', 'application') {}

/** The camera key store cannot be read or written, or a key file is readable by others. */
export class PrivacyKeyStoreError extends defineError('PRIVACY_KEY_STORE', 'application') {}

/** No camera of that id, no frame of it (yet), or an epoch that has not begun. */
export class PrivacyNotFoundError extends defineError('PRIVACY_NOT_FOUND', 'application') {}

/** A viewer API request is malformed (a time range that is not unix ms, from after to). */
export class PrivacyInvalidRequestError extends defineError(
  'PRIVACY_INVALID_REQUEST',
  'application',
) {}

/** HTTP status of each code, for the viewer API. */
export const PRIVACY_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  PRIVACY_TAMPERED: 422,
  PRIVACY_SIDECAR_INVALID: 400,
  PRIVACY_NOT_ALLOWED: 403,
  PRIVACY_KEY_STORE: 500,
  PRIVACY_NOT_FOUND: 404,
  PRIVACY_INVALID_REQUEST: 400,
}

/** Every error class of this package (pinned by tests/error-codes.test.ts). */
export const privacyErrors = [
  PrivacyTamperedError,
  PrivacySidecarInvalidError,
  PrivacyNotAllowedError,
  PrivacyKeyStoreError,
  PrivacyNotFoundError,
  PrivacyInvalidRequestError,
] as const

export type PrivacyErrorCode = ErrorCodeOf<typeof privacyErrors>
