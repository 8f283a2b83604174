/**
 * Errors of the host-to-host RPC layer. Each closes (or refuses) one
 * connection and never the host; codes are documented in docs/errors.md.
 */
import type { BaseErrorOptions } from '../errors/base-error.ts'
import { defineError } from '../errors/define-error.ts'

/** A frame's declared length exceeds the connection's bound. */
export class RpcFrameTooLargeError extends defineError('RPC_FRAME_TOO_LARGE') {
  constructor(length: number, maxFrameBytes: number, options: BaseErrorOptions = {}) {
    super(
      `RPC frame of ${length} bytes exceeds the limit of ${maxFrameBytes} bytes; split the message or raise maxFrameBytes`,
      { meta: { length, maxFrameBytes }, ...options },
    )
  }
}

/** A frame could not be decoded (bad msgpack, bad shape, unknown message kind). */
export class RpcFrameMalformedError extends defineError('RPC_FRAME_MALFORMED') {
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(`Malformed RPC frame: ${reason}`, options)
  }
}

/** The peer failed the handshake or a frame failed authentication (tampered, replayed). */
export class RpcUnauthenticatedError extends defineError('RPC_UNAUTHENTICATED') {
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(`RPC peer not authenticated: ${reason}`, options)
  }
}

/** The peer's host id or key is not in the signed enrollment list. */
export class RpcHostNotEnrolledError extends defineError('RPC_HOST_NOT_ENROLLED') {
  constructor(hostId: string, options: BaseErrorOptions = {}) {
    super(
      `Host '${hostId}' is not enrolled in this domain with the key it presented; enroll it with 'vigil domain enroll'`,
      { meta: { hostId }, ...options },
    )
  }
}

/** The connection closed before the request was answered. */
export class RpcConnectionClosedError extends defineError('RPC_CONNECTION_CLOSED') {
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(`RPC connection closed: ${reason}`, options)
  }
}

/** No reply arrived within the request's timeout. */
export class RpcTimeoutError extends defineError('RPC_TIMEOUT') {
  constructor(method: string, timeoutMs: number, options: BaseErrorOptions = {}) {
    super(`RPC '${method}' got no reply within ${timeoutMs} ms`, {
      meta: { method, timeoutMs },
      ...options,
    })
  }
}

/** The connection's bounded outbound queue is full; the caller should back off. */
export class RpcQueueFullError extends defineError('RPC_QUEUE_FULL') {
  constructor(bufferedBytes: number, limit: number, options: BaseErrorOptions = {}) {
    super(
      `RPC outbound queue holds ${bufferedBytes} bytes (limit ${limit}); retry after the peer catches up`,
      { meta: { bufferedBytes, limit }, ...options },
    )
  }
}
