/**
 * Where vigil's contracts live on one chain: written by `vigil contracts deploy --out <file>`,
 * read by every host that talks to the inter-domain ledger.
 */
import { type Address, getAddress, isAddress } from 'viem'
import { z } from 'zod'
import { EthAddressesFileInvalidError } from './errors.ts'

const address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), 'must be a 0x-prefixed 20-byte address')
  .transform((value): Address => getAddress(value))

/** Schema of the addresses file. */
export const contractAddressesSchema = z.object({
  chainId: z.number().int().positive().describe('EIP-155 chain id the contracts live on'),
  deployer: address.describe('account that deployed the contracts and is their admin'),
  deployedAtBlock: z.number().int().nonnegative().describe('block of the last deployment'),
  identityRegistry: address,
  capabilityAccessControl: address,
  privacyPolicy: address,
  anchor: address,
})

export type ContractAddresses = z.output<typeof contractAddressesSchema>

/** Reads and validates an addresses file; throws ETH_ADDRESSES_FILE_INVALID. */
export async function readContractAddresses(path: string): Promise<ContractAddresses> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EthAddressesFileInvalidError(path, 'does not exist')
  let raw: unknown
  try {
    raw = JSON.parse(await file.text())
  } catch {
    throw new EthAddressesFileInvalidError(path, 'is not valid JSON')
  }
  const parsed = contractAddressesSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new EthAddressesFileInvalidError(path, `is invalid (${problems.join('; ')})`)
  }
  return parsed.data
}

/** Writes an addresses file (pretty JSON, trailing newline). */
export async function writeContractAddresses(
  path: string,
  addresses: ContractAddresses,
): Promise<void> {
  await Bun.write(path, `${JSON.stringify(addresses, null, 2)}\n`)
}
