/**
 * The init arguments every actor that talks to the inter-domain chain shares (the Ethereum
 * ledger actor; identity, access-control and privacy-policy through actors/chain): which chain,
 * where, where the contracts are, and how often to poll. Plain data, validated at init.
 */
import { z } from 'zod'
import { contractLocationsSchema } from './contract-addresses.ts'

export const chainOptionsSchema = z.object({
  chainId: z.number().int().positive().describe('EIP-155 chain id (31337 for anvil)'),
  rpcUrl: z.string().url().describe('JSON-RPC endpoint; may carry credentials, never logged'),
  addressesFile: z.string().min(1).optional().describe('file written by vigil contracts deploy'),
  addresses: contractLocationsSchema.optional().describe('inline alternative to addressesFile'),
  pollingIntervalMs: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe('ms between polls for new blocks, events and receipts; default 50 (anvil)'),
})

export type ChainOptions = z.input<typeof chainOptionsSchema>
