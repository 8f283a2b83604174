/** Reads the contract addresses from init arguments: inline, or the file they name. */

import {
  type ChainOptions,
  type ContractAddresses,
  contractAddressesSchema,
} from './chain-options.ts'
import { ChainAddressesInvalidError } from './errors.ts'

/** The inline addresses, else the validated content of `addressesFile`. */
export async function readContractAddresses(
  options: Pick<ChainOptions, 'addresses' | 'addressesFile'>,
): Promise<ContractAddresses> {
  if (options.addresses) return contractAddressesSchema.parse(options.addresses)
  const path = options.addressesFile
  if (path === undefined) throw new ChainAddressesInvalidError('(none)', 'was not given')
  const file = Bun.file(path)
  if (!(await file.exists())) throw new ChainAddressesInvalidError(path, 'does not exist')
  let raw: unknown
  try {
    raw = JSON.parse(await file.text())
  } catch {
    throw new ChainAddressesInvalidError(path, 'is not valid JSON')
  }
  const parsed = contractAddressesSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new ChainAddressesInvalidError(path, `is invalid (${problems.join('; ')})`)
  }
  return parsed.data
}
