/**
 * Every error class runtime/ declares, and their codes as one union type
 * (`RuntimeErrorCode`); tests/error-codes.test.ts checks the list against the
 * classes in the code and docs/errors.md. A folder's errors.ts holds error
 * classes only, so its namespace's values are its error list.
 */

import * as actorErrors from '../actor/errors.ts'
import { ConfigError } from '../config/config-error.ts'
import * as gatewayErrors from '../gateway/errors.ts'
import * as hostErrors from '../host/errors.ts'
import * as mailboxErrors from '../mailbox/errors.ts'
import { EnrollmentInvalidError } from '../rpc/enrollment-list.ts'
import * as rpcErrors from '../rpc/errors.ts'
import { KeyFileInvalidError } from '../rpc/host-key.ts'
import { WorkerExitedError, WorkerTimeoutError } from '../worker/actor-worker.ts'
import type { ErrorCodeOf } from './base-error.ts'
import { InternalError } from './internal-error.ts'

export const runtimeErrors = [
  ...Object.values(actorErrors),
  ConfigError,
  InternalError,
  ...Object.values(gatewayErrors),
  ...Object.values(hostErrors),
  ...Object.values(mailboxErrors),
  EnrollmentInvalidError,
  ...Object.values(rpcErrors),
  KeyFileInvalidError,
  WorkerTimeoutError,
  WorkerExitedError,
] as const

export type RuntimeErrorCode = ErrorCodeOf<typeof runtimeErrors>
