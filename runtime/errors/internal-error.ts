import { defineError } from './define-error.ts'

/** A failure vigil did not anticipate; the message says what happened, never a secret. */
export class InternalError extends defineError('INTERNAL', 'runtime') {}
