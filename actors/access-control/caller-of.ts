/**
 * The principal id of the message being handled (`ActorContext.caller`, set by the gateway from
 * authentication or by the sending host), or undefined when there is none (init, timers, or a
 * kernel call without a caller).
 */
import type { ActorContext } from '../../runtime/index.ts'

/** The caller's principal id, or undefined. */
export function callerIdOf(context: ActorContext): string | undefined {
  return context.caller?.id
}
