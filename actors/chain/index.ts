/**
 * Chain access for the security actors (identity, access-control, privacy-policy): connect with
 * viem, follow contract events from deployment onwards, send an actor's own transactions. The
 * clients come from ledger/ethereum's `createChainClients` (through ledger/index.ts); both use
 * the ABIs from contracts/.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the actors/chain folder
export {
  type ChainOptions,
  type ContractAddresses,
  chainOptionsSchema,
  contractAddressesSchema,
} from './chain-options.ts'
export { type ChainConnection, type ConnectChainOptions, connectChain } from './connect-chain.ts'
export {
  ChainAddressesInvalidError,
  type ChainErrorCode,
  ChainMismatchError,
  ChainRpcUnavailableError,
  ChainTxRevertedError,
  chainErrors,
} from './errors.ts'
export {
  type EventMirrorArgs,
  type EventMirrorLifecycleOptions,
  type EventMirrorState,
  eventMirrorArgsSchema,
  eventMirrorLifecycle,
} from './event-mirror-lifecycle.ts'
export {
  type ChainLog,
  type FollowContractLogsOptions,
  type FollowedContract,
  followContractLogs,
  type LogFollower,
} from './follow-contract-logs.ts'
export { readContractAddresses } from './read-contract-addresses.ts'
export { requireContractAddresses } from './require-contract-addresses.ts'
export {
  type ChainMirror,
  type StartChainMirrorOptions,
  startChainMirror,
} from './start-chain-mirror.ts'
export { type EventMirror, startEventMirror } from './start-event-mirror.ts'
export {
  type ChainWrite,
  type ChainWriteResult,
  writeChainContract,
} from './write-chain-contract.ts'
