/**
 * The caller of the message being handled, read defensively: `ActorContext.caller`
 * (interfaces.md, set by the gateway or the sending host) may be absent on kernels that do not
 * carry it yet. Only its `id` is used here.
 */
import type { ActorContext } from '../../runtime/index.ts'

/** The caller's principal id, or undefined. */
export function callerIdOf(context: ActorContext): string | undefined {
  const caller = (context as { readonly caller?: { readonly id?: unknown } }).caller
  return typeof caller?.id === 'string' ? caller.id : undefined
}
