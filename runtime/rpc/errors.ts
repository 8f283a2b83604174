/**
 * Errors of the host-to-host RPC layer. Each closes (or refuses) one
 * connection and never the host; codes are documented in docs/errors.md.
 */
import { BaseError, type BaseErrorOptions } from '../errors/base-error.ts'

/** A frame's declared length exceeds the connection's bound. */
export class RpcFrameTooLargeError extends BaseError {
  static override readonly code = 'RPC_FRAME_TOO_LARGE'
  override name = 'RpcFrameTooLargeError'
  constructor(length: number, maxFrameBytes: number, options: BaseErrorOptions = {}) {
    super(
      RpcFrameTooLargeError.code,
      `RPC frame of ${length} bytes exceeds the limit of ${maxFrameBytes} bytes; split the message or raise maxFrameBytes`,
      { meta: { length, maxFrameBytes }, ...options },
    )
  }
}

/** A frame could not be decoded (bad msgpack, bad shape, unknown message kind). */
export class RpcFrameMalformedError extends BaseError {
  static override readonly code = 'RPC_FRAME_MALFORMED'
  override name = 'RpcFrameMalformedError'
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(RpcFrameMalformedError.code, `Malformed RPC frame: ${reason}`, options)
  }
}

/** The peer failed the handshake or a frame failed authentication (tampered, replayed). */
export class RpcUnauthenticatedError extends BaseError {
  static override readonly code = 'RPC_UNAUTHENTICATED'
  override name = 'RpcUnauthenticatedError'
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(RpcUnauthenticatedError.code, `RPC peer not authenticated: ${reason}`, options)
  }
}

/** The peer's host id or key is not in the signed enrollment list. */
export class RpcHostNotEnrolledError extends BaseError {
  static override readonly code = 'RPC_HOST_NOT_ENROLLED'
  override name = 'RpcHostNotEnrolledError'
  constructor(hostId: string, options: BaseErrorOptions = {}) {
    super(
      RpcHostNotEnrolledError.code,
      `Host '${hostId}' is not enrolled in this domain with the key it presented; enroll it with 'vigil domain enroll'`,
      { meta: { hostId }, ...options },
    )
  }
}

/** The connection closed before the request was answered. */
export class RpcConnectionClosedError extends BaseError {
  static override readonly code = 'RPC_CONNECTION_CLOSED'
  override name = 'RpcConnectionClosedError'
  constructor(reason: string, options: BaseErrorOptions = {}) {
    super(RpcConnectionClosedError.code, `RPC connection closed: ${reason}`, options)
  }
}

/** No reply arrived within the request's timeout. */
export class RpcTimeoutError extends BaseError {
  static override readonly code = 'RPC_TIMEOUT'
  override name = 'RpcTimeoutError'
  constructor(method: string, timeoutMs: number, options: BaseErrorOptions = {}) {
    super(RpcTimeoutError.code, `RPC '${method}' got no reply within ${timeoutMs} ms`, {
      meta: { method, timeoutMs },
      ...options,
    })
  }
}

/** The connection's bounded outbound queue is full; the caller should back off. */
export class RpcQueueFullError extends BaseError {
  static override readonly code = 'RPC_QUEUE_FULL'
  override name = 'RpcQueueFullError'
  constructor(bufferedBytes: number, limit: number, options: BaseErrorOptions = {}) {
    super(
      RpcQueueFullError.code,
      `RPC outbound queue holds ${bufferedBytes} bytes (limit ${limit}); retry after the peer catches up`,
      { meta: { bufferedBytes, limit }, ...options },
    )
  }
}
