/**
 * The init arguments every security actor that mirrors the chain shares: which chain, where,
 * where the contracts are, and how often to poll. Plain data, validated at init.
 */
import { type Address, getAddress, isAddress } from 'viem'
import { z } from 'zod'

const address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), 'must be a 0x-prefixed 20-byte address')
  .transform((value): Address => getAddress(value))

/** The addresses file `vigil contracts deploy --out` writes (the fields these actors use). */
export const contractAddressesSchema = z.object({
  chainId: z.number().int().positive(),
  deployedAtBlock: z.number().int().nonnegative().describe('block to replay events from'),
  identityRegistry: address,
  capabilityAccessControl: address,
  privacyPolicy: address,
  anchor: address,
})

export type ContractAddresses = z.output<typeof contractAddressesSchema>

export const chainOptionsSchema = z.object({
  chainId: z.number().int().positive().describe('EIP-155 chain id (31337 for anvil)'),
  rpcUrl: z.string().url().describe('JSON-RPC endpoint; may carry credentials, never logged'),
  addressesFile: z.string().min(1).optional().describe('file written by vigil contracts deploy'),
  addresses: contractAddressesSchema.optional().describe('inline alternative to addressesFile'),
  pollingIntervalMs: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe('ms between polls for new blocks and events; default 50 (anvil)'),
})

export type ChainOptions = z.input<typeof chainOptionsSchema>
