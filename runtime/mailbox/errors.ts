/** Errors of the bounded mailbox. */
import { BaseError } from '../errors/base-error.ts'

/** The actor's mailbox is at capacity and its overflow policy is `reject`; retry later or slow down. */
export class MailboxFullError extends BaseError {
  static override readonly code = 'MAILBOX_FULL'
  override name = 'MailboxFullError'
  constructor(actor: string, capacity: number) {
    super(
      MailboxFullError.code,
      `Mailbox of actor '${actor}' is full (${capacity} messages); retry later or raise kernel.mailboxCapacity`,
      { kind: 'runtime', meta: { actor, capacity } },
    )
  }
}
