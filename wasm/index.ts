/** Public surface of wasm/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { designBandpassFir } from './design-fir.ts'
export { type WasmErrorCode, wasmErrors } from './errors.ts'
export { loadFftCore, loadFftCoreSync } from './fft.ts'
export type { FftCore } from './fft-core.ts'
