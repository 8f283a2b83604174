/** Public surface of actors/integrity/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { createMemoryIntegrityLedger } from './memory-integrity-ledger.ts'
export { writeHostKeyFile } from './write-host-key-file.ts'
