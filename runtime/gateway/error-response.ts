/**
 * Maps vigil errors to HTTP: status, `{code, message}` body and headers.
 * Bad input is the caller's to fix (400/404); overload asks it to come back
 * later (503 with Retry-After); timeouts are 504; other runtime failures are
 * 5xx. The body carries the code and the message that says what to fix,
 * never a stack or a secret.
 */
import { ProtocolViolationError } from '../actor/errors.ts'
import { toWireError, type WireError } from '../errors/base-error.ts'
import type { RuntimeErrorCode } from '../errors/runtime-errors.ts'

export type ErrorResponse = {
  status: number
  body: { code: string; message: string; details?: string | undefined; meta?: unknown }
  headers: Record<string, string>
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ACTOR_NOT_FOUND: 404,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  MAILBOX_FULL: 503,
  GATEWAY_OVERLOADED: 503,
  RPC_QUEUE_FULL: 503,
  HOST_UNAVAILABLE: 503,
  PLACEMENT_NO_HOST: 503,
  PLACEMENT_STALE: 503,
  ACTOR_STOPPED: 503,
  RPC_CONNECTION_CLOSED: 503,
  ASK_TIMEOUT: 504,
  RPC_TIMEOUT: 504,
  ACTOR_CRASHED: 502,
  SNAPSHOT_NOT_PERSISTED: 502,
  SERIALIZATION_FAILED: 500,
  UNAUTHORIZED: 401,
  AUTH_REQUIRED: 401,
  ADMIN_DISABLED: 403,
  SWAP_MODULE_NOT_ALLOWED: 403,
  DEPLOY_MODULE_NOT_ALLOWED: 403,
  ACTOR_ALREADY_DEPLOYED: 409,
  NOT_FOUND: 404,
} satisfies Partial<Record<RuntimeErrorCode, number>>

/** Seconds a client should wait before retrying an overloaded actor or host. */
export const RETRY_AFTER_SECONDS = 1

/**
 * The HTTP status for a vigil error code; `extra` (a gateway guard's
 * `statusByCode`) is consulted first.
 */
export function statusForError(
  wire: WireError,
  extra: Readonly<Record<string, number>> = {},
): number {
  const own = Object.hasOwn(extra, wire.code) ? extra[wire.code] : undefined
  if (own !== undefined) return own
  if (wire.code === ProtocolViolationError.code) {
    // An unknown message type is a missing resource; a bad payload is bad input.
    return (wire.meta as { knownTypes?: unknown } | undefined)?.knownTypes ? 404 : 400
  }
  const status = STATUS_BY_CODE[wire.code]
  if (status !== undefined) return status
  // An actor's own refusal (its declared errors) is a well-formed request it rejected.
  return wire.kind === 'application' ? 422 : 500
}

/** Builds the response for anything thrown while serving a request. */
export function errorResponse(
  error: unknown,
  statusByCode: Readonly<Record<string, number>> = {},
): ErrorResponse {
  const wire = toWireError(error)
  const status = statusForError(wire, statusByCode)
  const headers: Record<string, string> = {}
  if (status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS)
  return {
    status,
    body: {
      code: wire.code,
      message: wire.shortMessage,
      ...(wire.details ? { details: wire.details } : {}),
      ...(wire.meta ? { meta: wire.meta } : {}),
    },
    headers,
  }
}
