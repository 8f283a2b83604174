/**
 * Errors of the actor kernel. Each is tagged, serializable data (see
 * BaseError): it crosses workers and hosts as a WireError and its static
 * `is()` guard recognises both forms. docs/errors.md has a section per code.
 */
import { BaseError, type BaseErrorOptions } from '../errors/base-error.ts'

/** No actor is registered under that name on this system. */
export class ActorNotFoundError extends BaseError {
  static override readonly code = 'ACTOR_NOT_FOUND'
  override name = 'ActorNotFoundError'
  constructor(actor: string, hint = 'spawn it first or check the name') {
    super(ActorNotFoundError.code, `No actor named '${actor}'; ${hint}`, {
      kind: 'runtime',
      meta: { actor },
    })
  }
}

/** An actor of that name already exists; stop it first or choose another name. */
export class ActorAlreadyExistsError extends BaseError {
  static override readonly code = 'ACTOR_ALREADY_EXISTS'
  override name = 'ActorAlreadyExistsError'
  constructor(actor: string) {
    super(
      ActorAlreadyExistsError.code,
      `An actor named '${actor}' already exists; stop it first or choose another name`,
      { kind: 'application', meta: { actor } },
    )
  }
}

/** The actor crashed (or its worker died) while this message was in flight; it is being restarted. */
export class ActorCrashedError extends BaseError {
  static override readonly code = 'ACTOR_CRASHED'
  override name = 'ActorCrashedError'
  constructor(actor: string, type: string | undefined, options: BaseErrorOptions = {}) {
    super(
      ActorCrashedError.code,
      `Actor '${actor}' crashed${type ? ` while handling '${type}'` : ''}; the message was not completed (retry if it is safe)`,
      { kind: 'runtime', meta: { actor, type }, ...options },
    )
  }
}

/**
 * The message ran, but the snapshot holding its effect could not be
 * persisted (the system's snapshot hook failed, e.g. no peer host took the
 * replica): the effect is in the actor's state on this host, but may be lost
 * if the host dies. Retry only if the message is safe to run twice.
 */
export class SnapshotNotPersistedError extends BaseError {
  static override readonly code = 'SNAPSHOT_NOT_PERSISTED'
  override name = 'SnapshotNotPersistedError'
  constructor(actor: string, type: string, options: BaseErrorOptions = {}) {
    super(
      SnapshotNotPersistedError.code,
      `Actor '${actor}' handled '${type}' but its snapshot could not be persisted; the effect may be lost if this host fails (retry only if it is safe to run twice)`,
      { kind: 'runtime', meta: { actor, type, maybeApplied: true }, ...options },
    )
  }
}

/** The actor could not start: its module failed to load, had no actor definition, or init/migrate threw. */
export class ActorStartFailedError extends BaseError {
  static override readonly code = 'ACTOR_START_FAILED'
  override name = 'ActorStartFailedError'
  constructor(actor: string, reason: string, options: BaseErrorOptions = {}) {
    super(ActorStartFailedError.code, `Actor '${actor}' failed to start: ${reason}`, {
      kind: 'runtime',
      meta: { actor },
      ...options,
    })
  }
}

/** The actor is stopped or stopping (or the system is shutting down) and takes no new messages. */
export class ActorStoppedError extends BaseError {
  static override readonly code = 'ACTOR_STOPPED'
  override name = 'ActorStoppedError'
  constructor(actor: string, why = 'it is stopped') {
    super(ActorStoppedError.code, `Actor '${actor}' takes no messages: ${why}`, {
      kind: 'runtime',
      meta: { actor },
    })
  }
}

/** No reply arrived within the ask timeout; the message may still be processed later. */
export class AskTimeoutError extends BaseError {
  static override readonly code = 'ASK_TIMEOUT'
  override name = 'AskTimeoutError'
  constructor(actor: string, type: string, timeoutMs: number) {
    super(
      AskTimeoutError.code,
      `No reply from '${actor}' to '${type}' within ${timeoutMs} ms; raise timeoutMs or check the actor's load`,
      { kind: 'runtime', meta: { actor, type, timeoutMs } },
    )
  }
}

/** The caller cancelled the ask (AbortSignal) before a reply arrived. */
export class AskCancelledError extends BaseError {
  static override readonly code = 'ASK_CANCELLED'
  override name = 'AskCancelledError'
  constructor(actor: string, type: string, options: BaseErrorOptions = {}) {
    super(AskCancelledError.code, `Ask to '${actor}' ('${type}') was cancelled by the caller`, {
      kind: 'application',
      meta: { actor, type },
      ...options,
    })
  }
}

/** One field that does not match the declared payload schema. */
export type ProtocolIssue = { readonly path: string; readonly message: string }

/** The message is not in the actor's protocol, or its payload does not match the declared shape. */
export class ProtocolViolationError extends BaseError {
  static override readonly code = 'PROTOCOL_VIOLATION'
  override name = 'ProtocolViolationError'
  constructor(
    actor: string,
    type: string,
    problem: { unknownType: readonly string[] } | { issues: readonly ProtocolIssue[] },
  ) {
    const text =
      'unknownType' in problem
        ? `'${type}' is not a message of actor '${actor}'; known: ${problem.unknownType.join(', ') || '(none)'}`
        : `payload of '${type}' to actor '${actor}' is invalid: ${problem.issues
            .map((issue) => `${issue.path}: ${issue.message}`)
            .join('; ')}`
    super(ProtocolViolationError.code, text, {
      kind: 'application',
      meta:
        'unknownType' in problem
          ? { actor, type, knownTypes: problem.unknownType }
          : { actor, type, issues: problem.issues },
    })
  }
}

/** A value could not be encoded as plain data (msgpack / structured clone): functions, symbols, bigints… */
export class SerializationFailedError extends BaseError {
  static override readonly code = 'SERIALIZATION_FAILED'
  override name = 'SerializationFailedError'
  constructor(what: string, options: BaseErrorOptions = {}) {
    super(
      SerializationFailedError.code,
      `${what} is not plain data (what survives msgpack and structured clone); send only objects, arrays, strings, numbers, booleans, null, dates and byte arrays`,
      { kind: 'application', ...options },
    )
  }
}

/** Hot swap refused: the new module failed to start or its migrate threw; the old version keeps serving. */
export class MigrationFailedError extends BaseError {
  static override readonly code = 'MIGRATION_FAILED'
  override name = 'MigrationFailedError'
  constructor(
    actor: string,
    fromVersion: number,
    toVersion: number | undefined,
    options: BaseErrorOptions = {},
  ) {
    super(
      MigrationFailedError.code,
      `Hot swap of '${actor}' from version ${fromVersion} to ${toVersion ?? '?'} failed and was rolled back; version ${fromVersion} keeps serving`,
      { kind: 'runtime', meta: { actor, fromVersion, toVersion }, ...options },
    )
  }
}

/** Shutdown or stop hit its deadline with messages still queued; they became dead letters. */
export class ShutdownTimeoutError extends BaseError {
  static override readonly code = 'SHUTDOWN_TIMEOUT'
  override name = 'ShutdownTimeoutError'
  constructor(actor: string, deadlineMs: number, undelivered: number) {
    super(
      ShutdownTimeoutError.code,
      `Actor '${actor}' did not drain within ${deadlineMs} ms; ${undelivered} message(s) were not delivered`,
      { kind: 'runtime', meta: { actor, deadlineMs, undelivered } },
    )
  }
}

/** The module given to spawn/swap does not export an actor definition under that name. */
export class InvalidActorModuleError extends BaseError {
  static override readonly code = 'ACTOR_MODULE_INVALID'
  override name = 'InvalidActorModuleError'
  constructor(module: string, reason: string, options: BaseErrorOptions = {}) {
    super(
      InvalidActorModuleError.code,
      `Module '${module}' is not a usable actor module: ${reason}`,
      {
        kind: 'application',
        meta: { module },
        ...options,
      },
    )
  }
}
