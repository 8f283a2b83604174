/**
 * The hook a host composition gives its gateway to decide who is calling and
 * whether they may send a message. The runtime knows nothing about
 * credentials or rights: it calls `authenticate` for every actor request and
 * `authorize` for every non-public one, before the payload reaches an actor,
 * and maps what they throw to HTTP with `statusByCode`.
 */
import type { Hono } from 'hono'
import type { Caller } from '../actor/caller.ts'
import type { Access } from '../actor/define-actor.ts'

/** The message a request wants to send, and the right its protocol declares. */
export type GuardTarget = { actor: string; message: string; access: Access }

export type Guard = {
  /**
   * `request` is the raw request; the gateway reads its body afterwards, so a
   * guard that needs the body (e.g. a content digest) reads `request.clone()`.
   */
  /** 401-class: who is calling. Return undefined only for anonymous callers of public messages. Throw BaseError to refuse. */
  authenticate(
    request: Request,
    target: GuardTarget,
  ): Caller | undefined | Promise<Caller | undefined>
  /** 403-class: may this caller send this message? Throw BaseError to refuse. Called for non-public messages only. */
  authorize(caller: Caller, target: GuardTarget): void | Promise<void>
  /** HTTP status per error code the guard throws (merged into error-response.ts's table). */
  readonly statusByCode: Readonly<Record<string, number>>
  /** Extra routes mounted at /v1/auth (sign-in etc.). */
  readonly routes?: Hono | undefined
}
