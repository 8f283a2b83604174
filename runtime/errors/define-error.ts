/**
 * `defineError(code, kind?)`: the one base for vigil's tagged error classes, so a class states
 * only what is its own (its code, and a constructor when its message is built from parameters).
 *
 *     export class MailboxFullError extends defineError('MAILBOX_FULL', 'runtime') {}
 *
 * The returned class fixes the static `code` (a literal type, so `ErrorCodeOf` unions stay exact),
 * passes it to {@link BaseError}, and names each instance after the concrete subclass. Without
 * parameters of its own a subclass takes `(shortMessage, options)`; `kind` is the default that
 * `options.kind` overrides (left out, BaseError's default, `runtime`, applies).
 */
import { BaseError, type BaseErrorOptions, type ErrorKind } from './base-error.ts'

export function defineError<const Code extends string>(code: Code, kind?: ErrorKind) {
  return class DefinedError extends BaseError {
    static override readonly code: Code = code
    constructor(shortMessage: string, options: BaseErrorOptions = {}) {
      super(code, shortMessage, kind === undefined ? options : { kind, ...options })
      // The concrete subclass's own name (`MailboxFullError`), as the hand-written classes had.
      this.name = new.target.name
    }
  }
}
