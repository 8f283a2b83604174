/**
 * The init arguments every security actor that mirrors the chain shares: which chain, where,
 * where the contracts are, and how often to poll. Plain data, validated at init.
 */
import {
  type ContractLocations,
  contractLocationsSchema,
  type ChainOptions as LedgerChainOptions,
  chainOptionsSchema as ledgerChainOptionsSchema,
} from '../../ledger/index.ts'

/** The addresses file `vigil contracts deploy --out` writes, the fields hosts use (ledger's). */
export const contractAddressesSchema = contractLocationsSchema

export type ContractAddresses = ContractLocations

/** The chain arguments (ledger/ethereum's, shared with the Ethereum ledger actor). */
export const chainOptionsSchema = ledgerChainOptionsSchema

export type ChainOptions = LedgerChainOptions
