/** Public surface of ledger/ethereum/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { createFundedKeyFile } from './create-funded-key-file.ts'
export { createTestChain, type TestAccount, type TestChain } from './create-test-chain.ts'
export { expectRevert } from './expect-revert.ts'
export { createGasTable } from './gas-table.ts'
export { randomAddress } from './random-address.ts'
export { buildTestTree, type TestTree } from './rfc6962-tree.ts'
export { type ContractTestChain, useContractTestChain } from './use-contract-test-chain.ts'
