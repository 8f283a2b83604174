/**
 * Direct links: once one actor keeps sending to another on the same host,
 * the kernel joins their two workers with a MessageChannel so the messages
 * stop hopping through the parent thread (2 postMessage hops per round trip
 * instead of 4, as Akka and Orleans avoid a central hop).
 *
 * Setting up (kernel-side: runtime/system/direct-links.ts):
 * 1. the kernel posts `link-accept` (one end) to the receiver's worker and
 *    `link` (the other end) to the sender's worker;
 * 2. the sender posts a fence through the kernel path (`OutboundKind.fence`)
 *    and from then on sends to that actor on the port only; the fence is
 *    queued in the receiver's mailbox behind everything the sender sent
 *    through the kernel before, and the receiver processes link messages
 *    only after it handled the fence, so FIFO per sender holds across the
 *    switch.
 *
 * On the link: the receiver validates each payload against its own protocol
 * (what the kernel does on its path), fills in the sender's principal when
 * the sender gave none (from `link-accept`, set by the kernel, as on the
 * kernel path), and answers results in order. The sender keeps at most
 * `window` messages unanswered on the port and at most `capacity` queued
 * behind them (MailboxFullError beyond), and keeps every message until its
 * result came back, so that when the link closes it can re-send what the
 * receiver never started through the kernel path, in order:
 * - graceful close (swap, restart, stop: the kernel asks `close-links`):
 *   `closing` after the last result; everything unanswered was never
 *   started and goes through the kernel again (no loss, no duplicate);
 * - handler crash: `closing` with `crashed`; the next unanswered message is
 *   the victim (fails ACTOR_CRASHED, or is re-sent when `redeliver`, i.e.
 *   its protocol entry is idempotent), the rest are re-sent;
 * - the receiver's worker died (`link-lost` from the kernel): nobody can
 *   tell what ran, so unanswered messages fail (idempotent types re-sent),
 *   as on the kernel path.
 * The sender then posts `OutboundKind.unlinked`; only after that may the
 * kernel link the pair again.
 */
import type { Caller } from '../actor/caller.ts'
import type { WireError } from '../errors/base-error.ts'

/** The envelope type of a fence in the receiver's mailbox (no protocol type starts with NUL). */
export const LINK_FENCE = '\u0000link-fence'

/** Kernel → sender worker: send to `to` over `port` from now on. */
export type LinkMessage = {
  readonly t: 'link'
  readonly id: number
  readonly to: string
  readonly port: MessagePort
  /** Messages unanswered on the port at most (the target's dispatch credits). */
  readonly window: number
  /** Messages queued behind the window at most (the target's mailbox capacity). */
  readonly capacity: number
  /** The kernel's default ask timeout, ms. */
  readonly askTimeoutMs: number
  /** Message types of the target's protocol marked idempotent (re-sent when its worker dies). */
  readonly idempotent: readonly string[]
}

/** Kernel → receiver worker: messages from `from` will arrive on `port` after its fence. */
export type LinkAcceptMessage = {
  readonly t: 'link-accept'
  readonly id: number
  readonly from: string
  readonly port: MessagePort
  /** The sender's own principal, for messages it sends without an explicit caller. */
  readonly caller: Caller | undefined
}

/** Kernel → sender worker: the receiver's worker is gone (`started` false: it never took any). */
export type LinkLostMessage = {
  readonly t: 'link-lost'
  readonly id: number
  readonly started: boolean
  readonly error: WireError
}

/** Kernel → receiver worker: the sender's worker is gone; forget the link. */
export type DropLinkMessage = { readonly t: 'drop-link'; readonly id: number }

/** Sender → receiver on the port: envelopes as parallel arrays (as kernel batches). */
export type LinkBatch = {
  readonly t: 'batch'
  readonly types: readonly string[]
  readonly payloads: readonly unknown[]
  readonly replies: readonly (0 | 1)[]
  /** `callers[i]` the caller passed explicitly; absent when none of the batch has one. */
  readonly callers?: readonly (Caller | undefined)[] | undefined
}

/** Receiver → sender on the port. */
export type LinkReply =
  | {
      /** Outcomes of the next unanswered envelopes, in order; `errors` lists `[i, error]`. */
      readonly t: 'results'
      readonly values: readonly unknown[]
      readonly errors: readonly (readonly [number, WireError])[]
    }
  | {
      /** The link is closed; `done` results were posted before this (all of them, in order). */
      readonly t: 'closing'
      readonly done: number
      /** Present when the next unanswered envelope crashed the actor. */
      readonly crashed?: { readonly redeliver: boolean; readonly error: WireError } | undefined
    }
