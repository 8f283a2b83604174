/**
 * Helpers for tests and benchmarks of the ledger (never imported by
 * production code): fuzzing the ABCI app in process and over its socket.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint of the ledger's test helpers
export {
  type AbciFuzzTarget,
  createAbciFuzzTarget,
  fuzzAbciApp,
  fuzzAbciSocket,
} from './fuzz-abci.ts'
