/**
 * Smart surveillance for vigil (issue 14): offline person detection (blob
 * background subtraction), SORT tracking, movement features, an
 * I-SAFE-inspired Mamdani fuzzy decision with hysteresis, MOT metrics, and
 * the camera/tracker/features/decision actors. Other folders import from
 * here, by name.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint module of the surveillance folder
export { createAlertHysteresis } from './alert-hysteresis.ts'
export { type BlobDetectorOptions, createBlobDetector, type Detection } from './blob-detector.ts'
export { type Box, iou } from './box.ts'
export { cameraActor } from './camera-actor.ts'
export { surveilCommand } from './cli/surveil-command.ts'
export { decideFeatures } from './decide-features.ts'
export { decisionActor } from './decision-actor.ts'
export { detectorActor } from './detector-actor.ts'
export { encodePng } from './encode-png.ts'
export {
  SurveilDecodeFailedError,
  SurveilInvalidConfigError,
  SurveilInvalidParameterError,
  type SurveillanceErrorCode,
  surveillanceErrors,
} from './errors.ts'
export { featuresActor } from './features-actor.ts'
export { formatMotLine, type MotRow, parseMot } from './format-mot.ts'
export {
  createFrameDetector,
  type DetectorKind,
  detectorKinds,
  type FrameDetector,
} from './frame-detector.ts'
export { createFrameRing, type FrameRing } from './frame-ring.ts'
export { defaultFuzzyConfig, type FuzzyConfig, parseFuzzyConfig } from './fuzzy-config.ts'
export { inferSuspicion } from './fuzzy-engine.ts'
export type { GrayFrame } from './gray-frame.ts'
export { computeMotMetrics, type MotMetrics } from './mot-metrics.ts'
export {
  cameraProtocol,
  decisionProtocol,
  detectorProtocol,
  featuresProtocol,
  trackerProtocol,
} from './protocol.ts'
export { readVideoFrames } from './read-video-frames.ts'
export { createSortTracker, type TrackedBox } from './sort-tracker.ts'
export {
  SURVEILLANCE_DECISION_ACTOR,
  type SurveillanceCamera,
  surveillanceActorNames,
  surveillanceActors,
  surveillanceDeployables,
} from './surveillance-placement.ts'
export { type TrackFeatures, trackFeatures } from './track-features.ts'
export { trackVideo } from './track-video.ts'
export { trackerActor } from './tracker-actor.ts'
export type { VideoFrame } from './video-frame.ts'
