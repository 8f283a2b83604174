/**
 * Every error class runtime/ declares, and their codes as one union type
 * (`RuntimeErrorCode`); tests/error-codes.test.ts checks the list against the
 * classes in the code and docs/errors.md.
 */

import {
  ActorAlreadyExistsError,
  ActorCrashedError,
  ActorNotFoundError,
  ActorStartFailedError,
  ActorStoppedError,
  AskCancelledError,
  AskTimeoutError,
  InvalidActorModuleError,
  MigrationFailedError,
  ProtocolViolationError,
  SerializationFailedError,
  ShutdownTimeoutError,
  SnapshotNotPersistedError,
} from '../actor/errors.ts'
import { ConfigError } from '../config/config-error.ts'
import {
  AdminDisabledError,
  AuthRequiredError,
  BadRequestError,
  GatewayOverloadedError,
  PayloadTooLargeError,
  RouteNotFoundError,
  UnauthorizedError,
} from '../gateway/errors.ts'
import {
  ActorAlreadyDeployedError,
  CallerForgedError,
  CallerRefusedError,
  DeployModuleNotAllowedError,
  HostUnavailableError,
  PlacementNoHostError,
  PlacementStaleError,
  SnapshotSignatureInvalidError,
  SnapshotSignerNotOwnerError,
  SwapModuleNotAllowedError,
} from '../host/errors.ts'
import { MailboxFullError } from '../mailbox/errors.ts'
import { EnrollmentInvalidError } from '../rpc/enrollment-list.ts'
import {
  RpcConnectionClosedError,
  RpcFrameMalformedError,
  RpcFrameTooLargeError,
  RpcHostNotEnrolledError,
  RpcQueueFullError,
  RpcTimeoutError,
  RpcUnauthenticatedError,
} from '../rpc/errors.ts'
import { KeyFileInvalidError } from '../rpc/host-key.ts'
import { WorkerExitedError, WorkerTimeoutError } from '../worker/actor-worker.ts'
import type { ErrorCodeOf } from './base-error.ts'
import { InternalError } from './internal-error.ts'

export const runtimeErrors = [
  ActorNotFoundError,
  ActorAlreadyExistsError,
  ActorCrashedError,
  ActorStartFailedError,
  ActorStoppedError,
  AskTimeoutError,
  AskCancelledError,
  ProtocolViolationError,
  SerializationFailedError,
  MigrationFailedError,
  ShutdownTimeoutError,
  SnapshotNotPersistedError,
  InvalidActorModuleError,
  ConfigError,
  InternalError,
  BadRequestError,
  GatewayOverloadedError,
  PayloadTooLargeError,
  GatewayOverloadedError,
  UnauthorizedError,
  AdminDisabledError,
  RouteNotFoundError,
  AuthRequiredError,
  HostUnavailableError,
  PlacementNoHostError,
  PlacementStaleError,
  CallerForgedError,
  CallerRefusedError,
  SwapModuleNotAllowedError,
  SnapshotSignatureInvalidError,
  SnapshotSignerNotOwnerError,
  DeployModuleNotAllowedError,
  ActorAlreadyDeployedError,
  MailboxFullError,
  EnrollmentInvalidError,
  RpcFrameTooLargeError,
  RpcFrameMalformedError,
  RpcUnauthenticatedError,
  RpcHostNotEnrolledError,
  RpcConnectionClosedError,
  RpcTimeoutError,
  RpcQueueFullError,
  KeyFileInvalidError,
  WorkerTimeoutError,
  WorkerExitedError,
] as const

export type RuntimeErrorCode = ErrorCodeOf<typeof runtimeErrors>
