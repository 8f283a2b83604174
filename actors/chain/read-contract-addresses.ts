/** Reads the contract addresses from init arguments: inline, or the file they name. */

import { readContractLocations } from '../../ledger/index.ts'
import {
  type ChainOptions,
  type ContractAddresses,
  contractAddressesSchema,
} from './chain-options.ts'
import { ChainAddressesInvalidError } from './errors.ts'

/** The inline addresses, else the validated content of `addressesFile` (ETH_ADDRESSES_FILE_INVALID). */
export async function readContractAddresses(
  options: Pick<ChainOptions, 'addresses' | 'addressesFile'>,
): Promise<ContractAddresses> {
  if (options.addresses) return contractAddressesSchema.parse(options.addresses)
  const path = options.addressesFile
  if (path === undefined) throw new ChainAddressesInvalidError('(none)', 'was not given')
  return readContractLocations(path)
}
