/**
 * A protocol whose every message declares the right a caller needs (interfaces.md
 * `MessageSpec.access`). Stand-in until runtime/actor/define-actor.ts's MessageSpec carries
 * `access` itself: then `SecuredProtocol` is just `Protocol` and this file goes.
 */
import type { MessageSpec } from '../../runtime/index.ts'

/** The right a caller needs to send a message from outside (gateway), or 'public'. */
export type Access = 'public' | { readonly resource: string; readonly action: string }

export type SecuredProtocol = Readonly<Record<string, MessageSpec & { readonly access: Access }>>
