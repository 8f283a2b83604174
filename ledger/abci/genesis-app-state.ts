/**
 * The ledger's part of genesis.json (`app_state`): the enrolled keys at
 * genesis (at least one admin, who can enroll more with host_enrollment
 * transactions) and the ledger's limits. Identical on every validator.
 */
import { z } from 'zod'

export const genesisAppStateSchema = z.object({
  signers: z
    .array(
      z.object({
        publicKeyHex: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .describe('Ed25519 public key, 32 bytes as lowercase hex'),
        role: z.enum(['node', 'admin']).describe('node: writes records; admin: also enrolls keys'),
        name: z.string().max(256).describe('Host name, for operators'),
      }),
    )
    .min(1)
    .describe('Keys enrolled at genesis'),
  maxTxBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024)
    .describe(
      'Largest transaction the app accepts, bytes (default 4 MiB); keep below mempool.max_tx_bytes',
    ),
  maxRecordsPerTx: z
    .number()
    .int()
    .positive()
    .default(20_000)
    .describe('Most records in one batch transaction (default 20,000)'),
})

export type GenesisAppState = z.output<typeof genesisAppStateSchema>
export type GenesisAppStateInput = z.input<typeof genesisAppStateSchema>
