/** Errors of the bounded mailbox. */
import { defineError } from '../errors/define-error.ts'

/** The actor's mailbox is at capacity and its overflow policy is `reject`; retry later or slow down. */
export class MailboxFullError extends defineError('MAILBOX_FULL') {
  constructor(actor: string, capacity: number) {
    super(
      `Mailbox of actor '${actor}' is full (${capacity} messages); retry later or raise kernel.mailboxCapacity`,
      { kind: 'runtime', meta: { actor, capacity } },
    )
  }
}
