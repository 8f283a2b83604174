/**
 * The access-control actor's refusals (docs/errors.md). `access.check` answers refusals as data
 * (`{allowed: false, code}`); `access.request` throws them.
 */
import { type BaseErrorOptions, defineError, type ErrorCodeOf } from '../../runtime/index.ts'

/** The subject is not (or no longer) registered in the IdentityRegistry. */
export class AccessNotRegisteredError extends defineError('ACCESS_NOT_REGISTERED') {
  constructor(subject: string, options: BaseErrorOptions = {}) {
    super(
      `${subject} is not registered in the IdentityRegistry; a zone master registers it with 'vigil identity node-add'`,
      { kind: 'application', ...options, meta: { subject, ...options.meta } },
    )
  }
}

/** The domain's policy grants none (or not all) of the requested rights. */
export class AccessDeniedError extends defineError('ACCESS_DENIED', 'application') {}

/** `access.request` arrived without a caller: its subject is whoever sent it. */
export class AccessCallerRequiredError extends defineError('AUTH_REQUIRED') {
  constructor() {
    super(
      'access.request needs an authenticated caller; sign in first (the subject is the caller)',
      { kind: 'application' },
    )
  }
}

/** Every error class of this package; `AccessControlErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const accessControlErrors = [
  AccessNotRegisteredError,
  AccessDeniedError,
  AccessCallerRequiredError,
] as const

export type AccessControlErrorCode = ErrorCodeOf<typeof accessControlErrors>
