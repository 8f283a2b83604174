/** Public surface of actors/privacy/testing/: what other folders' tests and benches may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { decodePng } from './decode-png.ts'
export { correlation, regionOf, sharedWindows, syntheticFrame } from './synthetic-frame.ts'
