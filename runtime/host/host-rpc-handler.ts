/**
 * What a host answers on host-to-host RPC. Every peer is authenticated by
 * the handshake (an enrolled key), but not trusted to send well-formed data
 * or honest callers:
 *
 * - `actor.ask` (request) / `actor.tell` (one-way): a message for an actor
 *   this host runs (else PLACEMENT_STALE, so the sender retries elsewhere);
 *   its caller is admitted by {@link admitRemoteCaller} first;
 * - `host.heartbeat`, `host.leave` (one-way): membership;
 * - `host.swap`, `host.status`, `host.ping` (requests): operator actions and probes.
 */

import { toWireError } from '../errors/base-error.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { EnrolledHost } from '../rpc/enrollment-list.ts'
import { RpcFrameMalformedError } from '../rpc/errors.ts'
import type { RpcHandler } from '../rpc/rpc-connection.ts'
import { admitRemoteCaller } from './admit-remote-caller.ts'
import { PlacementStaleError } from './errors.ts'
import type { AdmitCaller } from './host-plugins.ts'
import {
  actorMessageSchema,
  callerSchema,
  type SwapRequest,
  swapRequestSchema,
} from './host-rpc-messages.ts'
import type { HostStatus } from './host-status.ts'
import type { HostSwapResult } from './rolling-swap.ts'

export type HostRpcHandlerOptions = {
  hostId: string
  system: ActorSystem
  admitCaller: AdmitCaller
  log: Log
  onHeartbeat(peer: EnrolledHost, body: unknown): void
  onLeave(peer: EnrolledHost): void
  swap(request: SwapRequest): Promise<HostSwapResult>
  status(): HostStatus
}

/** Builds the handler a host's RPC node serves. */
export function hostRpcHandler(options: HostRpcHandlerOptions): RpcHandler {
  const askActor = actorAsk(options)
  const tellActor = actorTell(options)
  return {
    request(method, body, peer) {
      if (method === 'actor.ask') return askActor(body, peer)
      // Transport-only round trip, for benchmarks and liveness probes.
      if (method === 'host.ping') return null
      if (method === 'host.swap') return options.swap(swapRequestSchema.parse(body))
      if (method === 'host.status') return options.status()
      throw new RpcFrameMalformedError(`unknown method '${method}'`)
    },
    notify(method, body, peer) {
      if (method === 'host.heartbeat') options.onHeartbeat(peer, body)
      else if (method === 'actor.tell') tellActor(body, peer)
      else if (method === 'host.leave') options.onLeave(peer)
    },
  }
}

type AskFrame = {
  actor?: unknown
  type?: unknown
  payload?: unknown
  timeoutMs?: unknown
  caller?: unknown
}

/** `actor.ask`, the hot path: a hand-written shape check, a schema parse only for a caller. */
function actorAsk(options: HostRpcHandlerOptions) {
  const { system, hostId, admitCaller } = options
  return function actorAsk(body: unknown, peer: EnrolledHost): unknown {
    const frame = body as AskFrame | undefined
    if (typeof frame?.actor !== 'string' || typeof frame.type !== 'string') {
      throw new RpcFrameMalformedError('actor.ask needs {actor, type, payload}')
    }
    const { actor, type, payload } = frame as { actor: string; type: string; payload: unknown }
    if (!system.has(actor)) throw new PlacementStaleError(actor, hostId)
    const askOptions = {
      timeoutMs: typeof frame.timeoutMs === 'number' ? frame.timeoutMs : undefined,
      from: peer.hostId,
    }
    if (frame.caller === undefined) return system.ask(actor, type, payload, askOptions)
    const claimed = callerSchema.safeParse(frame.caller)
    if (!claimed.success) throw new RpcFrameMalformedError('actor.ask caller is malformed')
    const admitted = admitRemoteCaller(claimed.data, peer.hostId, admitCaller)
    if (!(admitted instanceof Promise)) {
      return system.ask(actor, type, payload, { ...askOptions, caller: admitted })
    }
    return admitted.then((caller) => system.ask(actor, type, payload, { ...askOptions, caller }))
  }
}

/** `actor.tell`: dropped (and logged) when the actor is not here or its caller is refused. */
function actorTell(options: HostRpcHandlerOptions) {
  const { system, admitCaller, log } = options
  return function actorTell(body: unknown, peer: EnrolledHost): void {
    const message = actorMessageSchema.parse(body)
    if (!system.has(message.actor)) {
      log('host.tell_dropped', {
        actor: message.actor,
        from: peer.hostId,
        reason: 'not placed here',
      })
      return
    }
    const refused = (error: unknown) =>
      log('host.tell_refused', {
        actor: message.actor,
        from: peer.hostId,
        code: toWireError(error).code,
      })
    let admitted: ReturnType<typeof admitRemoteCaller>
    try {
      admitted = admitRemoteCaller(message.caller, peer.hostId, admitCaller)
    } catch (error) {
      refused(error)
      return
    }
    // Admitted at once, the tell is queued at once: FIFO with the sender's other messages.
    if (!(admitted instanceof Promise)) {
      system.tell(message.actor, message.type, message.payload, { caller: admitted })
      return
    }
    admitted
      .then((caller) => system.tell(message.actor, message.type, message.payload, { caller }))
      .catch(refused)
  }
}
