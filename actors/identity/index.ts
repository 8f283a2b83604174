/**
 * The identity service (Algorithm 3, identity part): the IdentityRegistry mirror and the actor
 * that answers `identity.resolve`, `identity.same_zone` and `identity.host_of_key` from it.
 * Other folders import from here, by name.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the identity folder
export {
  type IdentityArgs,
  type IdentityState,
  identityActor,
  identityArgsSchema,
} from './identity-actor.ts'
export {
  createIdentityMirror,
  type IdentityMirror,
  type MirroredNode,
} from './identity-mirror.ts'
export {
  type HostOfKeyReply,
  identityProtocol,
  type NodeTypeName,
  nodeTypeSchema,
  type ResolveReply,
} from './identity-protocol.ts'
