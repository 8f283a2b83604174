/**
 * The privacy service (issue 16): in-place AES-256-GCM scrambling of face and
 * person regions under per-camera per-epoch keys, per-viewer unscrambling
 * by PrivacyPolicy and capability, audited releases, and the viewer API
 * (`/v1/cameras`). Other folders import from here, by name. See docs/privacy.md.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the privacy folder
export {
  PRIVACY_STATUS_BY_CODE,
  type PrivacyErrorCode,
  PrivacyInvalidRequestError,
  PrivacyKeyStoreError,
  PrivacyNotAllowedError,
  PrivacyNotFoundError,
  PrivacySidecarInvalidError,
  PrivacyTamperedError,
  privacyErrors,
} from './errors.ts'
export { frameNonce } from './frame-nonce.ts'
export { type CameraKeyStore, deriveRegionKey, keyIdOf, openCameraKeyStore } from './key-store.ts'
export { padRegions, type RegionBox } from './pad-regions.ts'
export { type PrivacyState, privacyActor } from './privacy-actor.ts'
export {
  type PrivacyArgs,
  type PrivacyCamera,
  privacyArgsSchema,
  privacyProtocol,
} from './privacy-protocol.ts'
export type { PixelFrame } from './region-bytes.ts'
export { RELEASE_TABLE } from './release-log.ts'
export { type ScrambleHeader, scrambleFrame } from './scramble-frame.ts'
export { type PrivacyAttribute, privacyAttributes, type Sidecar, sidecarSchema } from './sidecar.ts'
export { checkSidecar, type UnscrambleResult, unscrambleFrame } from './unscramble-frame.ts'
export { createViewerRoutes, type ViewerRoutesOptions } from './viewer-routes.ts'
