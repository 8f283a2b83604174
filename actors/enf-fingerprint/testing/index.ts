/** Public surface of actors/enf-fingerprint/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { writeWav } from '../write-wav.ts'
export {
  enfFixturePath,
  loadEnfFixture,
  WHU_FIXTURE_REFERENCES,
  whuReference,
} from './enf-fixtures.ts'
export { ffmpegReading } from './ffmpeg-reading.ts'
export { type LiveSpliceAudio, liveSpliceAudio } from './live-splice-fixture.ts'
export {
  fullAnalysis,
  type LowSnrResult,
  type LowSnrTrial,
  planLowSnrTrials,
  renderTrial,
  runLowSnrExperiment,
  type TrialTally,
  tallyRates,
} from './low-snr-experiment.ts'
export { createMemoryLedger, type MemoryLedger } from './memory-ledger.ts'
export { type PacedAudioSource, resampleWav, startPacedAudioSource } from './paced-audio-source.ts'
export { enfDataPath, findSharedDataDir, loadEnfWav, SHARED_DATA_MISSING } from './shared-data.ts'
export { addNoise, createRandom, runSpliceSuite } from './splice-experiment.ts'
export { frameAveragedTruth, synthesizeHum } from './synthetic-hum.ts'
