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

/**
 * Where the contracts are, as a host's arguments may give them inline: the file's fields but
 * its deployer (which only the operator's tools read).
 */
export const contractLocationsSchema = contractAddressesSchema.omit({ deployer: true })

export type ContractLocations = z.output<typeof contractLocationsSchema>

/** Reads and validates an addresses file; throws ETH_ADDRESSES_FILE_INVALID. */
export function readContractAddresses(path: string): Promise<ContractAddresses> {
  return readAddressesFile(path, contractAddressesSchema)
}

/** Reads where the contracts are from an addresses file; throws ETH_ADDRESSES_FILE_INVALID. */
export function readContractLocations(path: string): Promise<ContractLocations> {
  return readAddressesFile(path, contractLocationsSchema)
}

async function readAddressesFile<Schema extends z.ZodTypeAny>(
  path: string,
  schema: Schema,
): Promise<z.output<Schema>> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EthAddressesFileInvalidError(path, 'does not exist')
  let raw: unknown
  try {
    raw = JSON.parse(await file.text())
  } catch {
    throw new EthAddressesFileInvalidError(path, 'is not valid JSON')
  }
  const parsed = schema.safeParse(raw)
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
