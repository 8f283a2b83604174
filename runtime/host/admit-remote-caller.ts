/**
 * How a host treats the caller a peer forwards with `actor.ask`/`actor.tell`.
 *
 * Host RPC is mutually authenticated, so the host knows which peer sent the
 * frame, but not that the caller inside is genuine. A `host:X` caller is a
 * host acting for itself: only X may send it (else CALLER_FORGED). Any
 * other caller goes to the composition's `admitCaller` hook, which can check
 * the credential the caller carries; the default refuses callers without one.
 */
import { type Caller, HOST_CALLER_PREFIX } from '../actor/caller.ts'
import { CallerForgedError, CallerRefusedError } from './errors.ts'
import type { AdmitCaller } from './host-plugins.ts'

/** Default `admitCaller`: accepts callers that carry a credential, refuses the rest. */
export const refuseUncredentialedCallers: AdmitCaller = (caller, fromPeerId) => {
  if (caller.credential === undefined || caller.credential === '') {
    throw new CallerRefusedError(caller.id, fromPeerId, 'it carries no credential')
  }
  return caller
}

/** The caller to hand to the actor, or a thrown CALLER_FORGED / admitCaller refusal. */
export function admitRemoteCaller(
  caller: Caller | undefined,
  fromPeerId: string,
  admitCaller: AdmitCaller,
): Caller | undefined | Promise<Caller> {
  if (caller === undefined) return undefined
  if (caller.id.startsWith(HOST_CALLER_PREFIX)) {
    const host = caller.id.slice(HOST_CALLER_PREFIX.length)
    const claimed = caller.claims?.host
    if (host !== fromPeerId || (claimed !== undefined && claimed !== fromPeerId)) {
      throw new CallerForgedError(caller.id, fromPeerId)
    }
    return caller
  }
  return admitCaller(caller, fromPeerId)
}
