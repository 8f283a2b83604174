/**
 * Test and benchmark helpers of the ledger (never imported by production
 * code): the validator fault run of docs/reliability.md and its parts.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint of the ledger test helpers
export { type AcknowledgedCheck, checkAcknowledged } from './acknowledged-check.ts'
export { type ChainAgreement, chainAgreement } from './chain-agreement.ts'
export { type NodeStatus, nodeStatus } from './node-status.ts'
export {
  runValidatorFaults,
  type ValidatorFaultReport,
  type ValidatorFaultRunOptions,
} from './validator-fault-run.ts'
