/**
 * vigil's actor kernel, public surface. Everything other folders (the
 * multi-host layer, actors, ledger actors, CLI) need from runtime/ is
 * re-exported here by name; internals stay in their folders.
 *
 * Start with {@link createActorSystem}; actors are modules exporting
 * {@link defineActor} results. See docs/runtime.md. Hosts, the gateway
 * guard and plugins: docs/hosts.md. Test helpers: runtime/testing/index.ts.
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
export { echoActor } from './actor/echo-actor.ts'
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
  SnapshotNotPersistedError,
} from './actor/errors.ts'
export {
  type MessageTypeOf,
  type NamedSender,
  type PayloadOf,
  type ReplyOf,
  type TypedActorRef,
  type TypedSendOptions,
  typedRef,
} from './actor/typed-ref.ts'
export { validateMessage } from './actor/validate-message.ts'
export { actorsCommand } from './cli/actors-command.ts'
export { type AdminTarget, adminRequest } from './cli/admin-client.ts'
export {
  type Command,
  type CommandContext,
  formatHelp,
  type OptionSpec,
  runCommand,
  UsageError,
} from './cli/command.ts'
export {
  type FlagValues,
  requiredFlag,
  requireFlags,
  type ServeUntilStoppedOptions,
  serveUntilStopped,
  stringFlag,
  stringFlags,
} from './cli/command-flags.ts'
export { domainCommand } from './cli/domain-command.ts'
export { hostCommand } from './cli/host-command.ts'
export { waitForStopSignal } from './cli/wait-for-stop-signal.ts'
export { type Clock, sleep, systemClock, type TimerHandle } from './clock/clock.ts'
export { TestClock } from './clock/test-clock.ts'
export { roundTripMsgpack } from './codec/message-codec.ts'
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
export { type LoadConfigOptions, loadConfig, parseConfig } from './config/load-config.ts'
export {
  createDomainFiles,
  type DomainFiles,
  type DomainHostSpec,
} from './domain/create-domain-files.ts'
export {
  type Domain,
  type DomainActorSpec,
  type DomainHost,
  type StartDomainOptions,
  startDomain,
} from './domain/start-domain.ts'
export {
  BaseError,
  type BaseErrorOptions,
  type ErrorCodeOf,
  type ErrorKind,
  isWireError,
  toWireError,
  type WireError,
} from './errors/base-error.ts'
export { defineError } from './errors/define-error.ts'
export { InternalError } from './errors/internal-error.ts'
export { type RuntimeErrorCode, runtimeErrors } from './errors/runtime-errors.ts'
export { createGateway, type GatewayOptions } from './gateway/create-gateway.ts'
export { type ErrorResponse, errorResponse, statusForError } from './gateway/error-response.ts'
export { AuthRequiredError } from './gateway/errors.ts'
export type { GatewayBackend } from './gateway/gateway-backend.ts'
export type { Guard, GuardTarget } from './gateway/gateway-guard.ts'
export type { GatewayMount } from './gateway/gateway-mount.ts'
export { serveGateway } from './gateway/serve-gateway.ts'
export { refuseUncredentialedCallers } from './host/admit-remote-caller.ts'
export { CallerForgedError, CallerRefusedError } from './host/errors.ts'
export {
  type HostConfig,
  type HostConfigInput,
  hostConfigSchema,
  loadHostConfig,
} from './host/host-config.ts'
export type {
  AdmitCaller,
  EnrolledPeer,
  HostPluginFactory,
  HostPlugins,
  HostServices,
} from './host/host-plugins.ts'
export type { HostStatus } from './host/host-status.ts'
export type { ActorPlacement, Placement } from './host/place-actors.ts'
export type { HostSwapResult } from './host/rolling-swap.ts'
export { type HostRunInfo, type RunHostOptions, runHost } from './host/run-host.ts'
export { type Host, type StartHostOptions, startHost } from './host/start-host.ts'
export type {
  ActorStats,
  ActorStatus,
  StopResult,
} from './kernel/actor-cell.ts'
export type { ActorSnapshot, SnapshotHook, SnapshotHookScope } from './kernel/actor-snapshot.ts'
export type {
  ActorDescription,
  ActorInfo,
  ActorRef,
  ActorSystem,
  ActorSystemOptions,
  AskOptions,
  RemoteRouter,
  ShutdownResult,
  SpawnOptions,
  StopOptions,
  TellOptions,
} from './kernel/actor-system.ts'
export { createActorSystem } from './kernel/create-actor-system.ts'
export type { DeadLetter, DeadLetterReason } from './kernel/dead-letters.ts'
export type { SwapResult } from './kernel/hot-swap.ts'
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
export type { SystemEvent, SystemEventListener } from './kernel/system-events.ts'
export { createLogger, type Log, type LoggerOptions } from './log/create-logger.ts'
export { MailboxFullError } from './mailbox/errors.ts'
export { Mailbox, type MailboxOptions, type OfferResult } from './mailbox/mailbox.ts'
export type { LatencySummary } from './metrics/latency-histogram.ts'
export { median } from './metrics/median.ts'
export { createRpcNode, type RpcNode, type RpcNodeOptions } from './rpc/create-rpc-node.ts'
export {
  type EnrolledHost,
  type Enrollment,
  EnrollmentInvalidError,
  type EnrollmentList,
  type HostRole,
  hostRoleSchema,
  readEnrollmentList,
  signEnrollmentList,
  verifyEnrollmentList,
} from './rpc/enrollment-list.ts'
export { encodeFrame } from './rpc/frame-codec.ts'
export {
  generateHostKey,
  type HostKey,
  hostKeyFromPrivate,
  type KeyFileFormat,
  KeyFileInvalidError,
  parseHostKey,
  publicKeyFromBase64,
  publicKeyFromRaw,
  publicKeyToBase64,
  publicKeyToRaw,
  readHostKey,
  signBytes,
  verifyBytes,
  writeHostKey,
} from './rpc/host-key.ts'
export type { RpcConnection, RpcHandler } from './rpc/rpc-connection.ts'
export { createTamperingTransport, flipLastBit } from './rpc/tampering-transport.ts'
export { createTcpTransport, type TcpTransportOptions } from './rpc/tcp-transport.ts'
export type { Transport } from './rpc/transport.ts'
export {
  ROOT_SUPERVISOR,
  type SupervisorInfo,
  type SupervisorOptions,
} from './supervisor/supervision-tree.ts'
export { WorkerExitedError, WorkerTimeoutError } from './worker/actor-worker.ts'
export { THREAD_PRIORITIES, type ThreadPriority } from './worker/thread-priority.ts'
