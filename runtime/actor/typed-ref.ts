/**
 * A reference to an actor checked against its protocol at compile time (as
 * XState's `ActorRefFrom`): `ask`/`tell` accept only the protocol's message
 * types, each with its payload type, and `ask` resolves to the reply type.
 * It wraps anything that sends by name — an actor's context, an actor
 * system, a host's router — so it works the same inside and outside actors:
 *
 * ```ts
 * const ledger = typedRef<typeof ledgerProtocol>(context, 'ledger')
 * const receipt = await ledger.ask('ledger.commit', { kind, key, dataHex })
 * ```
 */
import type { z } from 'zod'
import type { Caller } from './caller.ts'
import type { Protocol } from './define-actor.ts'

/** The message types of a protocol. */
export type MessageTypeOf<P extends Protocol> = Extract<keyof P, string>
/** What a sender passes as the payload of message `T`. */
export type PayloadOf<P extends Protocol, T extends MessageTypeOf<P>> = z.input<P[T]['payload']>
/** What `ask` with message `T` resolves to. */
export type ReplyOf<P extends Protocol, T extends MessageTypeOf<P>> = z.output<P[T]['reply']>

/** Options of a typed send; the wrapped sender may accept more. */
export type TypedSendOptions = { timeoutMs?: number | undefined; caller?: Caller | undefined }

/** Anything that sends to actors by name. */
export type NamedSender = {
  ask(actor: string, type: string, payload: unknown, options?: TypedSendOptions): Promise<unknown>
  tell(
    actor: string,
    type: string,
    payload: unknown,
    options?: { caller?: Caller | undefined },
  ): void
}

export type TypedActorRef<P extends Protocol> = {
  readonly name: string
  ask<T extends MessageTypeOf<P>>(
    type: T,
    payload: PayloadOf<P, T>,
    options?: TypedSendOptions,
  ): Promise<ReplyOf<P, T>>
  tell<T extends MessageTypeOf<P>>(
    type: T,
    payload: PayloadOf<P, T>,
    options?: { caller?: Caller | undefined },
  ): void
}

/** A typed reference to actor `name` (whose protocol is `P`), sending through `via`. */
export function typedRef<P extends Protocol>(via: NamedSender, name: string): TypedActorRef<P> {
  return {
    name,
    ask: (type, payload, options) => via.ask(name, type, payload, options) as Promise<never>,
    tell: (type, payload, options) => via.tell(name, type, payload, options),
  }
}
