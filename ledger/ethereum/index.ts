/**
 * The inter-domain (Ethereum) ledger, public surface: the ledger actor (a chain client without
 * admin authority) and its protocol, the operator commands (cli/), the viem clients, deployment and contract handles, the anchoring job with its CometBFT source,
 * cross-domain receipt verification, event watching, anvil for tests and the one-machine
 * domain, and the errors. Other folders import from here, not from the files.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the ledger/ethereum folder
export {
  ACCESS_DECISIONS,
  type AccessDecision,
  accessDecisionName,
  NODE_TYPES,
  type NodeTypeName,
  nodeTypeMask,
} from './access-decision.ts'
export {
  decodeAccessRight,
  encodeAccessRight,
  type OnChainAccessRight,
  type ReadableAccessRight,
} from './access-right-codec.ts'
export {
  type AnchorableBatch,
  type AnchoringJob,
  type AnchoringJobOptions,
  type AnchoringRun,
  anchorIntervalMsSchema,
  type BatchRootSource,
  createAnchoringJob,
} from './anchoring-job.ts'
export { batchKey } from './batch-key.ts'
export { domainId, fromBytes32Name, isBytes32Name, toBytes32Name } from './bytes32-name.ts'
export { type ChainOptions, chainOptionsSchema } from './chain-options.ts'
export {
  CometbftSourceUnavailableError,
  createCometbftBatchSource,
} from './cometbft-batch-source.ts'
export {
  type ContractAddresses,
  type ContractLocations,
  contractAddressesSchema,
  contractLocationsSchema,
  readContractAddresses,
  readContractLocations,
  writeContractAddresses,
} from './contract-addresses.ts'
export {
  type ChainClients,
  type ChainClientsOptions,
  createChainClients,
  readChainId,
} from './create-chain-clients.ts'
export { type DeployResult, deployVigilContracts } from './deploy-vigil-contracts.ts'
export {
  AccessDeniedError,
  EthAddressesFileInvalidError,
  EthChainMismatchError,
  EthInvalidArgumentError,
  EthKeyFileInvalidError,
  EthKeyIsAdminError,
  EthNotAnchorerError,
  EthReceiptTimeoutError,
  EthRpcUnavailableError,
  EthTxRevertedError,
} from './errors.ts'
export {
  type EthereumLedgerArgs,
  type EthereumLedgerState,
  ethereumLedgerActor,
  ethereumLedgerArgsSchema,
} from './ethereum-ledger-actor.ts'
export {
  type AccessRight,
  contractEventsSchema,
  ethereumLedgerProtocol,
  nodeTypeSchema,
  type TxReply,
} from './ethereum-ledger-protocol.ts'
export { loadKeyFile } from './load-key-file.ts'
export {
  type AnvilInstance,
  AnvilUnavailableError,
  resolveAnvilBinary,
  type StartAnvilOptions,
  startAnvil,
} from './start-anvil.ts'
export {
  type LocalChain,
  type LocalChainAccount,
  type LocalChainAccountSpec,
  type LocalChainOptions,
  startLocalChain,
} from './start-local-chain.ts'
export {
  type AnchoredReceiptVerification,
  verifyAnchoredReceipt,
} from './verify-anchored-receipt.ts'
export {
  type ContractHandle,
  createVigilContracts,
  type VigilContracts,
} from './vigil-contracts.ts'
export {
  type ContractEvent,
  type WatchableContract,
  watchContractEvents,
} from './watch-contract-events.ts'
export { type WriteContractResult, writeContract } from './write-contract.ts'
