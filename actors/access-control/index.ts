/**
 * The access-control service (Algorithm 3, capability part): the issuing policy, the capability
 * evaluation and the actor serving `access.request` and `access.check`. Other folders import
 * from here, by name.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the access-control folder
export {
  type AccessControlArgs,
  type AccessControlState,
  accessControlActor,
  accessControlArgsSchema,
} from './access-control-actor.ts'
export {
  type AccessCheckReply,
  type AccessRequestReply,
  accessControlProtocol,
} from './access-control-protocol.ts'
export {
  type AccessPolicy,
  accessPolicySchema,
  decideRequest,
  type PolicyRight,
} from './access-policy.ts'
export type { CapabilityToken, TokenRight } from './capability-token.ts'
export {
  type AccessControlErrorCode,
  AccessDeniedError,
  AccessNotRegisteredError,
  accessControlErrors,
} from './errors.ts'
export {
  type AccessDecision,
  type AccessRefusalCode,
  evaluateCapability,
} from './evaluate-capability.ts'
