/**
 * Errors of the actor kernel. Each is tagged, serializable data (see
 * BaseError): it crosses workers and hosts as a WireError and its static
 * `is()` guard recognises both forms. docs/errors.md has a section per code.
 */
import type { BaseErrorOptions } from '../errors/base-error.ts'
import { defineError } from '../errors/define-error.ts'

/** No actor is registered under that name on this system. */
export class ActorNotFoundError extends defineError('ACTOR_NOT_FOUND') {
  constructor(actor: string, hint = 'spawn it first or check the name') {
    super(`No actor named '${actor}'; ${hint}`, {
      kind: 'runtime',
      meta: { actor },
    })
  }
}

/** An actor of that name already exists; stop it first or choose another name. */
export class ActorAlreadyExistsError extends defineError('ACTOR_ALREADY_EXISTS') {
  constructor(actor: string) {
    super(`An actor named '${actor}' already exists; stop it first or choose another name`, {
      kind: 'application',
      meta: { actor },
    })
  }
}

/** The actor crashed (or its worker died) while this message was in flight; it is being restarted. */
export class ActorCrashedError extends defineError('ACTOR_CRASHED') {
  constructor(actor: string, type: string | undefined, options: BaseErrorOptions = {}) {
    super(
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
export class SnapshotNotPersistedError extends defineError('SNAPSHOT_NOT_PERSISTED') {
  constructor(actor: string, type: string, options: BaseErrorOptions = {}) {
    super(
      `Actor '${actor}' handled '${type}' but its snapshot could not be persisted; the effect may be lost if this host fails (retry only if it is safe to run twice)`,
      { kind: 'runtime', meta: { actor, type, maybeApplied: true }, ...options },
    )
  }
}

/** The actor could not start: its module failed to load, had no actor definition, or init/migrate threw. */
export class ActorStartFailedError extends defineError('ACTOR_START_FAILED') {
  constructor(actor: string, reason: string, options: BaseErrorOptions = {}) {
    super(`Actor '${actor}' failed to start: ${reason}`, {
      kind: 'runtime',
      meta: { actor },
      ...options,
    })
  }
}

/** The actor is stopped or stopping (or the system is shutting down) and takes no new messages. */
export class ActorStoppedError extends defineError('ACTOR_STOPPED') {
  constructor(actor: string, why = 'it is stopped') {
    super(`Actor '${actor}' takes no messages: ${why}`, {
      kind: 'runtime',
      meta: { actor },
    })
  }
}

/** No reply arrived within the ask timeout; the message may still be processed later. */
export class AskTimeoutError extends defineError('ASK_TIMEOUT') {
  constructor(actor: string, type: string, timeoutMs: number) {
    super(
      `No reply from '${actor}' to '${type}' within ${timeoutMs} ms; raise timeoutMs or check the actor's load`,
      { kind: 'runtime', meta: { actor, type, timeoutMs } },
    )
  }
}

/** The caller cancelled the ask (AbortSignal) before a reply arrived. */
export class AskCancelledError extends defineError('ASK_CANCELLED') {
  constructor(actor: string, type: string, options: BaseErrorOptions = {}) {
    super(`Ask to '${actor}' ('${type}') was cancelled by the caller`, {
      kind: 'application',
      meta: { actor, type },
      ...options,
    })
  }
}

/** One field that does not match the declared payload schema. */
export type ProtocolIssue = { readonly path: string; readonly message: string }

/** The message is not in the actor's protocol, or its payload does not match the declared shape. */
export class ProtocolViolationError extends defineError('PROTOCOL_VIOLATION') {
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
    super(text, {
      kind: 'application',
      meta:
        'unknownType' in problem
          ? { actor, type, knownTypes: problem.unknownType }
          : { actor, type, issues: problem.issues },
    })
  }
}

/** A value could not be encoded as plain data (msgpack / structured clone): functions, symbols, bigints… */
export class SerializationFailedError extends defineError('SERIALIZATION_FAILED') {
  constructor(what: string, options: BaseErrorOptions = {}) {
    super(
      `${what} is not plain data (what survives msgpack and structured clone); send only objects, arrays, strings, numbers, booleans, null, dates and byte arrays`,
      { kind: 'application', ...options },
    )
  }
}

/** Hot swap refused: the new module failed to start or its migrate threw; the old version keeps serving. */
export class MigrationFailedError extends defineError('MIGRATION_FAILED') {
  constructor(
    actor: string,
    fromVersion: number,
    toVersion: number | undefined,
    options: BaseErrorOptions = {},
  ) {
    super(
      `Hot swap of '${actor}' from version ${fromVersion} to ${toVersion ?? '?'} failed and was rolled back; version ${fromVersion} keeps serving`,
      { kind: 'runtime', meta: { actor, fromVersion, toVersion }, ...options },
    )
  }
}

/** Shutdown or stop hit its deadline with messages still queued; they became dead letters. */
export class ShutdownTimeoutError extends defineError('SHUTDOWN_TIMEOUT') {
  constructor(actor: string, deadlineMs: number, undelivered: number) {
    super(
      `Actor '${actor}' did not drain within ${deadlineMs} ms; ${undelivered} message(s) were not delivered`,
      { kind: 'runtime', meta: { actor, deadlineMs, undelivered } },
    )
  }
}

/** The module given to spawn/swap does not export an actor definition under that name. */
export class InvalidActorModuleError extends defineError('ACTOR_MODULE_INVALID') {
  constructor(module: string, reason: string, options: BaseErrorOptions = {}) {
    super(`Module '${module}' is not a usable actor module: ${reason}`, {
      kind: 'application',
      meta: { module },
      ...options,
    })
  }
}
