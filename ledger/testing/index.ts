/**
 * Helpers for tests and benchmarks of the ledger (never imported by
 * production code): fuzzing the ABCI app in process and over its socket, and
 * the validator fault run of docs/reliability.md and its parts.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint of the ledger's test helpers
export { type AcknowledgedCheck, checkAcknowledged } from './acknowledged-check.ts'
export { type ChainAgreement, chainAgreement } from './chain-agreement.ts'
export {
  type AbciFuzzTarget,
  createAbciFuzzTarget,
  fuzzAbciApp,
  fuzzAbciSocket,
} from './fuzz-abci.ts'
export {
  NETNS_HOSTS,
  type NetnsDomain,
  type NetnsHostSpec,
  startNetnsDomain,
} from './netns-domain.ts'
export { haltedAbove, type NodeStatus, nodeStatus } from './node-status.ts'
export {
  runValidatorFaults,
  type ValidatorFaultReport,
  type ValidatorFaultRunOptions,
} from './validator-fault-run.ts'
