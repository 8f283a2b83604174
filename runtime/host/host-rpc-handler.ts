/**
 * What a host answers on host-to-host RPC. Every peer is authenticated by
 * the handshake (an enrolled key), but not trusted to send well-formed data
 * or honest callers:
 *
 * - `actor.ask` (request) / `actor.tell` (one-way): a message for an actor
 *   this host runs (else PLACEMENT_STALE, so the sender retries elsewhere);
 *   its caller is admitted by {@link admitRemoteCaller} first;
 * - `actor.snapshot` (request): store a peer's signed replica of a stateful
 *   actor's snapshot, if snapshot-trust.ts admits it (else its typed
 *   refusal); `actor.snapshot.fetch` (request): the newest one held here
 *   (the running actor's own, sealed by this host, else a stored replica),
 *   or null;
 * - `host.heartbeat`, `host.leave` (one-way): membership;
 * - `host.swap`, `host.deploy`, `host.status`, `host.ping` (requests): operator actions and probes.
 */

import type { z } from 'zod'
import { toWireError } from '../errors/base-error.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { EnrolledHost } from '../rpc/enrollment-list.ts'
import { RpcFrameMalformedError } from '../rpc/errors.ts'
import type { RpcHandler } from '../rpc/rpc-connection.ts'
import { admitRemoteCaller } from './admit-remote-caller.ts'
import type { HostDeployResult } from './domain-deploy.ts'
import { PlacementStaleError } from './errors.ts'
import type { AdmitCaller } from './host-plugins.ts'
import {
  actorMessageSchema,
  callerSchema,
  type DeployRequest,
  deployRequestSchema,
  type SwapRequest,
  signedSnapshotSchema,
  snapshotFetchSchema,
  swapRequestSchema,
} from './host-rpc-messages.ts'
import type { HostStatus } from './host-status.ts'
import type { HostSwapResult } from './rolling-swap.ts'
import type { SnapshotSeal } from './snapshot-seal.ts'
import type { SnapshotStore } from './snapshot-store.ts'
import type { SnapshotTrust } from './snapshot-trust.ts'

export type HostRpcHandlerOptions = {
  hostId: string
  system: ActorSystem
  admitCaller: AdmitCaller
  log: Log
  onHeartbeat(peer: EnrolledHost, body: unknown): void
  onLeave(peer: EnrolledHost): void
  /** A signed enrollment list a peer passed on (`host.enrollment`). */
  onEnrollment?: ((peer: EnrolledHost, body: unknown) => void) | undefined
  swap(request: SwapRequest): Promise<HostSwapResult>
  deploy(request: DeployRequest): Promise<HostDeployResult>
  status(): HostStatus
  /** Replicas peers sent this host. */
  snapshots: SnapshotStore
  /** Which replicas this host stores. */
  snapshotTrust: SnapshotTrust
  /** Signs the snapshots of the actors this host runs. */
  snapshotSeal: SnapshotSeal
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
      if (method === 'actor.snapshot') {
        const replica = parseBody(signedSnapshotSchema, body, method)
        options.snapshotTrust.admitReplica(replica, peer.hostId)
        options.snapshots.put(replica, peer.hostId)
        return null
      }
      if (method === 'actor.snapshot.fetch') return fetchSnapshot(options, body)
      if (method === 'host.swap') return options.swap(parseBody(swapRequestSchema, body, method))
      if (method === 'host.deploy')
        return options.deploy(parseBody(deployRequestSchema, body, method))
      if (method === 'host.status') return options.status()
      throw new RpcFrameMalformedError(`unknown method '${method}'`)
    },
    notify(method, body, peer) {
      if (method === 'host.heartbeat') options.onHeartbeat(peer, body)
      else if (method === 'actor.tell') tellActor(body, peer)
      else if (method === 'host.leave') options.onLeave(peer)
      else if (method === 'host.enrollment') options.onEnrollment?.(peer, body)
    },
  }
}

/** The newest snapshot of an actor held here: the running actor's own copy, else a stored replica. */
function fetchSnapshot(options: HostRpcHandlerOptions, body: unknown): unknown {
  const { actor } = parseBody(snapshotFetchSchema, body, 'actor.snapshot.fetch')
  const running = options.system.has(actor) ? options.system.lastSnapshot(actor) : undefined
  const stored = options.snapshots.get(actor)?.snapshot
  if (running && (!stored || running.seq >= stored.seq)) return options.snapshotSeal.seal(running)
  return stored ?? null
}

/** Validates a method's body; a bad one is a typed refusal naming the first bad field. */
function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  method: string,
): z.output<Schema> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue?.path.length ? issue.path.join('.') : 'body'
  throw new RpcFrameMalformedError(`${method} ${field}: ${issue?.message ?? 'invalid'}`)
}

/** Longest ask timeout a peer may ask for, ms (a routed request's own deadline is far shorter). */
const MAX_ASK_TIMEOUT_MS = 300_000

/**
 * A peer's requested timeout, as whole milliseconds within bounds; the
 * kernel's default when it is missing or not a positive finite number (each
 * distinct timeout has its own deadline queue, so arbitrary fractions must
 * not reach the kernel).
 */
function askTimeoutOf(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined
  return Math.min(Math.ceil(value), MAX_ASK_TIMEOUT_MS)
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
      timeoutMs: askTimeoutOf(frame.timeoutMs),
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
    const message = parseBody(actorMessageSchema, body, 'actor.tell')
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
