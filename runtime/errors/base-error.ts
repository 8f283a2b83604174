/**
 * vigil's one error shape: tagged, serializable data with a stable `code`.
 *
 * Errors cross worker and host boundaries as plain {@link WireError} objects
 * (structured clone and msgpack both keep plain data) and are rebuilt on
 * arrival with {@link BaseError.fromWire}. Decide on `code` or the static
 * `is()` guard, never on `instanceof` across a boundary.
 */
import { scrubSecrets } from './scrub-secrets.ts'

/** `application`: the actor's own logic refused; `runtime`: the platform failed. */
export type ErrorKind = 'application' | 'runtime'

/** Extra facts an operator or caller needs to act on the error; plain data only. */
export type ErrorMeta = Readonly<Record<string, unknown>>

/** The plain-data form of an error, as it crosses workers, hosts and HTTP. */
export type WireError = {
  readonly _tag: 'VigilError'
  readonly code: string
  readonly message: string
  readonly shortMessage: string
  readonly kind: ErrorKind
  readonly details?: string | undefined
  readonly meta?: ErrorMeta | undefined
  readonly docsPath?: string | undefined
  readonly cause?: WireError | undefined
}

export type BaseErrorOptions = {
  /** Longer explanation; usually the lower-level message. Secrets are scrubbed. */
  details?: string | undefined
  meta?: ErrorMeta | undefined
  cause?: unknown
  kind?: ErrorKind | undefined
  /** Path under docs/, e.g. `errors.md#mailbox_full`. Defaults to the code's anchor. */
  docsPath?: string | undefined
}

/** Base of every vigil error. Subclasses set `static readonly code` and call `super(code, …)`. */
export class BaseError extends Error {
  /** Set by subclasses; used by the static {@link BaseError.is} guard. */
  static readonly code: string | undefined = undefined

  override name = 'BaseError'
  readonly code: string
  readonly kind: ErrorKind
  readonly shortMessage: string
  readonly details: string | undefined
  readonly meta: ErrorMeta | undefined
  readonly docsPath: string

  constructor(code: string, shortMessage: string, options: BaseErrorOptions = {}) {
    const details =
      options.details === undefined ? detailsOf(options.cause) : scrubSecrets(options.details)
    const docsPath = options.docsPath ?? `errors.md#${code.toLowerCase()}`
    const scrubbed = scrubSecrets(shortMessage)
    super(
      [
        scrubbed,
        details ? `Details: ${details}` : undefined,
        `Code: ${code}`,
        `Docs: docs/${docsPath}`,
      ]
        .filter(Boolean)
        .join('\n'),
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.code = code
    this.kind = options.kind ?? 'runtime'
    this.shortMessage = scrubbed
    this.details = details
    this.meta = options.meta
    this.docsPath = docsPath
  }

  /**
   * True when `value` is a vigil error (a live instance or its wire form) with
   * this class's code; on `BaseError` itself, true for any vigil error.
   */
  static is<Instance extends BaseError>(
    this: { readonly code: string | undefined; readonly prototype: Instance },
    value: unknown,
  ): value is Instance | WireError {
    if (!isErrorLike(value)) return false
    // biome-ignore lint/complexity/noThisInStatic: polymorphic on purpose, each subclass guards its own code
    return this.code === undefined || value.code === this.code
  }

  /** Follows the cause chain; returns the first error `fn` accepts, or the deepest one. */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walk(this, fn)
  }

  /** The plain-data form, safe for postMessage, msgpack and JSON. */
  toWire(): WireError {
    return toWireError(this)
  }

  toJSON(): WireError {
    return this.toWire()
  }

  /** Rebuilds an error that crossed a boundary; `is()` guards keep working on the result. */
  static fromWire(wire: WireError): BaseError {
    const error = new BaseError(wire.code, wire.shortMessage, {
      details: wire.details,
      meta: wire.meta,
      kind: wire.kind,
      docsPath: wire.docsPath,
      cause: wire.cause ? BaseError.fromWire(wire.cause) : undefined,
    })
    error.name = 'RemoteError'
    return error
  }
}

function isErrorLike(value: unknown): value is { code: string } {
  if (value instanceof BaseError) return true
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _tag?: unknown })._tag === 'VigilError' &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

/** True for a {@link WireError} object (not a live instance). */
export function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    (value as { _tag?: unknown })._tag === 'VigilError'
  )
}

function walk(error: unknown, fn?: (error: unknown) => boolean): unknown {
  if (fn?.(error)) return error
  const cause = (error as { cause?: unknown } | null)?.cause
  if (cause !== undefined && cause !== null) return walk(cause, fn)
  return fn ? null : error
}

function detailsOf(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined
  if (cause instanceof BaseError) return cause.shortMessage
  if (cause instanceof Error) return scrubSecrets(cause.message)
  if (isWireError(cause)) return cause.shortMessage
  return scrubSecrets(String(cause))
}

/**
 * Converts anything thrown into a {@link WireError}. Unknown throwables become
 * `INTERNAL` errors carrying their message (scrubbed), never their stack.
 */
export function toWireError(error: unknown): WireError {
  if (isWireError(error)) return error
  if (error instanceof BaseError) {
    const cause = error.cause
    return {
      _tag: 'VigilError',
      code: error.code,
      message: error.message,
      shortMessage: error.shortMessage,
      kind: error.kind,
      details: error.details,
      meta: error.meta,
      docsPath: error.docsPath,
      cause:
        cause === undefined || cause === null || !(cause instanceof Error || isWireError(cause))
          ? undefined
          : toWireError(cause),
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : typeof error
  const scrubbed = scrubSecrets(`${name}: ${message}`)
  return {
    _tag: 'VigilError',
    code: 'INTERNAL',
    message: scrubbed,
    shortMessage: scrubbed,
    kind: 'runtime',
    details: undefined,
    meta: undefined,
    docsPath: 'errors.md#internal',
    cause: undefined,
  }
}

/** The codes of a list of error classes as one union: `ErrorCodeOf<typeof runtimeErrors>`. */
export type ErrorCodeOf<Classes extends readonly { readonly code: string | undefined }[]> = Exclude<
  Classes[number]['code'],
  undefined
>
