/**
 * `POST /v1/actors/{actor}/{message}`: the first step of a message's way to
 * its handler (gateway → {@link ActorRouter} → local cell or RPC connection →
 * worker). In order, before anything reaches an actor:
 *
 * 1. the target: the actor must be deployed and the message in its protocol (404);
 * 2. the guard, when there is one: `authenticate` (401), then `authorize` for
 *    messages that are not public (403);
 * 3. the body: at most `maxBodyBytes` (413, checked by Hono's `bodyLimit`
 *    before this handler), JSON (400), valid against the protocol (400);
 * 4. `backend.ask(..., { timeoutMs, caller })` and the reply as JSON.
 */
import type { Context } from 'hono'
import type { Caller } from '../actor/caller.ts'
import type { Protocol } from '../actor/define-actor.ts'
import { ActorNotFoundError, ProtocolViolationError } from '../actor/errors.ts'
import { validateMessage } from '../actor/validate-message.ts'
import { AuthRequiredError, BadRequestError } from './errors.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import type { Guard, GuardTarget } from './gateway-guard.ts'

export type ActorRequestOptions = {
  backend: GatewayBackend
  guard: Guard | undefined
  /** Deadline when the client gives none; a client may lower it with `x-vigil-timeout-ms`. */
  defaultTimeoutMs: number
}

/** Builds the handler; it throws vigil errors (the gateway's error handler answers them). */
export function actorRequest(options: ActorRequestOptions) {
  const { backend, guard, defaultTimeoutMs } = options
  return async function actorRequest(c: Context): Promise<Response> {
    const { target, protocol, caller } = await admittedTarget(c, backend, guard)
    const payload = validateMessage(target.actor, protocol, target.message, await readJson(c))
    const reply = await backend.ask(target.actor, target.message, payload, {
      timeoutMs: timeoutOf(c.req.header('x-vigil-timeout-ms'), defaultTimeoutMs),
      caller,
    })
    return c.json(reply === undefined ? null : (reply as object))
  }
}

/** Steps 1 and 2 for a request on /v1/actors/{actor}/{message}: its target, then its caller. */
export async function admittedTarget(
  c: Context,
  backend: GatewayBackend,
  guard: Guard | undefined,
): Promise<{ target: GuardTarget; protocol: Protocol; caller: Caller | undefined }> {
  const { target, protocol } = targetOf(
    backend,
    c.req.param('actor') ?? '',
    c.req.param('message') ?? '',
  )
  const caller = guard ? await admit(guard, c.req.raw, target) : undefined
  return { target, protocol, caller }
}

/** The deployed message a request names, with the right its protocol declares. */
function targetOf(
  backend: GatewayBackend,
  actor: string,
  message: string,
): { target: GuardTarget; protocol: Protocol } {
  const protocols = backend.protocols()
  const protocol = Object.hasOwn(protocols, actor) ? protocols[actor] : undefined
  if (!protocol) throw new ActorNotFoundError(actor, 'none is deployed; see /v1/openapi.json')
  const spec = Object.hasOwn(protocol, message) ? protocol[message] : undefined
  if (!spec) {
    throw new ProtocolViolationError(actor, message, { unknownType: Object.keys(protocol) })
  }
  return { target: { actor, message, access: spec.access }, protocol }
}

/** Authentication, then authorization unless the message is public. */
async function admit(
  guard: Guard,
  request: Request,
  target: GuardTarget,
): Promise<Caller | undefined> {
  const caller = await guard.authenticate(request, target)
  if (target.access === 'public') return caller
  if (caller === undefined) throw new AuthRequiredError(target.actor, target.message)
  await guard.authorize(caller, target)
  return caller
}

async function readJson(c: Context): Promise<unknown> {
  let text: string
  try {
    text = await c.req.text()
  } catch {
    throw new BadRequestError('request body could not be read')
  }
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new BadRequestError('request body is not valid JSON; send the payload as a JSON document')
  }
}

function timeoutOf(header: string | undefined, defaultTimeoutMs: number): number {
  const requested = header === undefined ? Number.NaN : Number(header)
  // Whole milliseconds: each distinct timeout has its own deadline queue in the kernel.
  return Number.isFinite(requested) && requested > 0
    ? Math.min(Math.ceil(requested), defaultTimeoutMs)
    : defaultTimeoutMs
}
