import { BaseError, type BaseErrorOptions } from './base-error.ts'

/** A failure vigil did not anticipate; the message says what happened, never a secret. */
export class InternalError extends BaseError {
  static override readonly code = 'INTERNAL'
  override name = 'InternalError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(InternalError.code, shortMessage, { kind: 'runtime', ...options })
  }
}
