/**
 * vigil's intra-domain ledger, public surface: what the runtime's
 * composition root, the CLI, the ENF and Ethereum helpers, tests and
 * benchmarks import. Actors themselves import only ledger/protocol.ts (types)
 * and talk to the ledger actor by message; tests of an IntraDomainLedger run
 * ledger/ledger.conformance.ts (not re-exported here: it imports bun:test).
 * See docs/ledger.md.
 */
// biome-ignore lint/performance/noBarrelFile: the ledger folder's one entry point, re-exports by name
export {
  type BatchInfo,
  type LedgerStatus,
  QUERY_PATHS,
  type SignerInfo,
} from './abci/query-paths.ts'
export {
  generateSignerKey,
  loadSignerKey,
  parseSignerKey,
  type SignerKey,
  saveSignerKey,
} from './abci/signer-key.ts'
export { TX_CODES, type TxCode, txCodeName } from './abci/tx-codes.ts'
export { ledgerCommand } from './cli/ledger-command.ts'
export {
  type CometbftLedger,
  type CometbftLedgerOptions,
  createCometbftLedger,
} from './cometbft/cometbft-ledger.ts'
export {
  type CometbftLedgerArgs,
  cometbftLedgerActor,
  cometbftLedgerProtocol,
} from './cometbft/cometbft-ledger-actor.ts'
export {
  initValidatorHome,
  type ValidatorHome,
  type ValidatorNetwork,
  writeDomainGenesis,
  writeValidatorConfig,
} from './deploy/validator-home.ts'
export {
  LedgerBackpressureError,
  LedgerLocalnetError,
  LedgerReceiptInvalidError,
  LedgerRecordInvalidError,
  LedgerTimeoutError,
  LedgerToolMissingError,
  LedgerTxRejectedError,
  LedgerUnavailableError,
} from './errors.ts'
export { domainId } from './ethereum/bytes32-name.ts'
export { accessCommand } from './ethereum/cli/access-command.ts'
export { contractsCommand } from './ethereum/cli/contracts-command.ts'
export { identityCommand } from './ethereum/cli/identity-command.ts'
export { privacyCommand } from './ethereum/cli/privacy-command.ts'
export {
  anchorIntervalMsSchema,
  type ChainClients,
  type ChainClientsOptions,
  type ChainOptions,
  type ContractLocations,
  chainOptionsSchema,
  contractLocationsSchema,
  createChainClients,
  createVigilContracts,
  decodeAccessRight,
  EthChainMismatchError,
  EthRpcUnavailableError,
  encodeAccessRight,
  fromBytes32Name,
  isBytes32Name,
  loadKeyFile,
  NODE_TYPES,
  nodeTypeSchema,
  type OnChainAccessRight,
  type ReadableAccessRight,
  readContractLocations,
  toBytes32Name,
  type VigilContracts,
} from './ethereum/index.ts'
export { startLocalChain } from './ethereum/start-local-chain.ts'
export { runLedgerConformance } from './ledger.conformance.ts'
export { type LedgerErrorCode, ledgerErrors } from './ledger-errors.ts'
export {
  compactReceiptsSchema,
  ledgerRecordSchema,
  receiptSchema,
  receiptVerificationSchema,
} from './ledger-schemas.ts'
export { ABCI_MAIN, cometbftBinary } from './localnet/cometbft-binary.ts'
export type { LocalnetNode } from './localnet/localnet-node.ts'
export { FAST_TIMEOUTS, type LocalnetTimeouts } from './localnet/localnet-timeouts.ts'
export { type Localnet, type LocalnetOptions, startLocalnet } from './localnet/start-localnet.ts'
export {
  type BatchNodes,
  batchLeaves,
  type CompactBatch,
  type CompactReceipts,
  compactReceipts,
  expandCompactReceipts,
  rebuildBatch,
} from './merkle/compact-receipts.ts'
export { MerkleTree, merkleRoot } from './merkle/merkle-tree.ts'
export { recordLeafHash } from './merkle/record-leaf.ts'
export { EMPTY_ROOT, hashLeaf, hashNode } from './merkle/rfc6962-hash.ts'
export { bytesEqual, type InclusionProof, verifyInclusion } from './merkle/verify-inclusion.ts'
export { type ReceiptVerification, verifyReceipt } from './merkle/verify-receipt.ts'
export {
  type IntraDomainLedger,
  type LedgerRecord,
  RECORD_KINDS,
  type Receipt,
  type RecordKind,
} from './protocol.ts'
