/**
 * vigil's actor kernel, public surface. Everything other folders (the
 * multi-host layer, actors, ledger actors, CLI) need from runtime/ is
 * re-exported here by name; internals stay in their folders.
 *
 * Start with {@link createActorSystem}; actors are modules exporting
 * {@link defineActor} results. See docs/runtime.md.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export {
  type ActorSource,
  importActorDefinition,
  isActorDefinition,
  type ResolvedActorSource,
  resolveActorSource,
} from './actor/actor-source.ts'
export { type Caller, HOST_CALLER_PREFIX, hostCaller } from './actor/caller.ts'
export {
  type Access,
  type ActorContext,
  type ActorDefinition,
  type ContextSendOptions,
  defineActor,
  type Handler,
  type MessageSpec,
  type Protocol,
} from './actor/define-actor.ts'
export {
  ActorAlreadyExistsError,
  ActorCrashedError,
  ActorNotFoundError,
  ActorStartFailedError,
  ActorStoppedError,
  AskCancelledError,
  AskTimeoutError,
  InvalidActorModuleError,
  MigrationFailedError,
  type ProtocolIssue,
  ProtocolViolationError,
  SerializationFailedError,
  ShutdownTimeoutError,
} from './actor/errors.ts'
export { validateMessage } from './actor/validate-message.ts'
export { type Clock, sleep, systemClock, type TimerHandle } from './clock/clock.ts'
export { TestClock } from './clock/test-clock.ts'
export { roundTripMsgpack } from './codec/message-codec.ts'
export {
  BaseError,
  type BaseErrorOptions,
  type ErrorKind,
  isWireError,
  toWireError,
  type WireError,
} from './errors/base-error.ts'
export { InternalError } from './errors/internal-error.ts'
export { type ErrorResponse, errorResponse, statusForError } from './gateway/error-response.ts'
export { AuthRequiredError } from './gateway/errors.ts'
export type { Guard, GuardTarget } from './gateway/gateway-guard.ts'
export { refuseUncredentialedCallers } from './host/admit-remote-caller.ts'
export { CallerForgedError, CallerRefusedError } from './host/errors.ts'
export type {
  AdmitCaller,
  EnrolledPeer,
  HostPluginFactory,
  HostPlugins,
  HostServices,
} from './host/host-plugins.ts'
export { type RunHostOptions, runHost } from './host/run-host.ts'
export { type Host, type StartHostOptions, startHost } from './host/start-host.ts'
export {
  defaultKernelConfig,
  type KernelConfig,
  type KernelConfigInput,
  kernelConfigSchema,
  kernelSectionSchema,
  loadKernelConfig,
  type OverflowPolicy,
  overflowPolicySchema,
  type SupervisionStrategy,
  supervisionStrategySchema,
} from './kernel/kernel-config.ts'
export { MailboxFullError } from './mailbox/errors.ts'
export { Mailbox, type MailboxOptions, type OfferResult } from './mailbox/mailbox.ts'
export type { LatencySummary } from './metrics/latency-histogram.ts'
export {
  ROOT_SUPERVISOR,
  type SupervisorInfo,
  type SupervisorOptions,
} from './supervisor/supervision-tree.ts'
export type {
  ActorStats,
  ActorStatus,
  StopResult,
  SwapResult,
} from './system/actor-cell.ts'
export {
  type ActorDescription,
  type ActorInfo,
  type ActorRef,
  type ActorSystem,
  type ActorSystemOptions,
  type AskOptions,
  createActorSystem,
  type RemoteRouter,
  type ShutdownResult,
  type SpawnOptions,
  type StopOptions,
  type TellOptions,
} from './system/create-actor-system.ts'
export type { DeadLetter, DeadLetterReason } from './system/dead-letters.ts'
export type { SystemEvent, SystemEventListener } from './system/system-events.ts'
export { WorkerExitedError, WorkerTimeoutError } from './worker/actor-worker.ts'
