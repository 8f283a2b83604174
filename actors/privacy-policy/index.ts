/**
 * The privacy-policy service: the PrivacyPolicy mirror and the actor answering
 * `privacy.visible`. Other folders import from here, by name.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the privacy-policy folder
export { ATTRIBUTE_BITS, createPrivacyMirror, type PrivacyMirror } from './privacy-mirror.ts'
export {
  type PrivacyPolicyArgs,
  type PrivacyPolicyState,
  privacyPolicyActor,
  privacyPolicyArgsSchema,
} from './privacy-policy-actor.ts'
export {
  privacyProtocol,
  type VisibleAttributes,
  visibleAttributesSchema,
} from './privacy-protocol.ts'
