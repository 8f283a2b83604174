/**
 * The CometBFT ledger actor: fronts the intra-domain ledger for the rest of
 * vigil. Other actors ask it to commit records (batched with everyone
 * else's under one Merkle root per transaction), to get a committed record's
 * receipt, and to verify a receipt (offline proof plus its anchor on the
 * chain).
 *
 * The kernel handles one message at a time per actor, so a `ledger.commit`
 * holds the actor until its block commits (~0.1 s on a local network);
 * callers with many records send them in one `ledger.commit_batch`, which
 * is where batching pays.
 *
 * Writes are accepted only under key namespaces the caller owns
 * (record-namespace.ts): a host writes `<kind>:<hostId>/…`, a user
 * `<kind>:<address>/…`. Transactions are signed with the key of the host the
 * actor runs on (its `signerKeyFile` is that host's own key, enrolled as a
 * ledger signer), never another host's or a validator's.
 *
 * Init arguments are plain data: RPC URLs and where the signing key lives
 * (a key file path, or the name of an env variable holding the JWK), never
 * the key itself.
 */
import { z } from 'zod'
import { defineActor } from '../../runtime/index.ts'
import { loadSignerKey, parseSignerKey, type SignerKey } from '../abci/signer-key.ts'
import { LedgerUnavailableError } from '../errors.ts'
import {
  compactReceiptsSchema,
  ledgerRecordSchema,
  receiptSchema,
  receiptVerificationSchema,
} from '../ledger-schemas.ts'
import { compactReceipts } from '../merkle/compact-receipts.ts'
import { type CometbftLedger, createCometbftLedger } from './cometbft-ledger.ts'
import { assertWritableBy } from './record-namespace.ts'

export const cometbftLedgerArgsSchema = z
  .object({
    rpcUrls: z.array(z.url()).min(1).describe('CometBFT RPC endpoints, tried in order'),
    signerKeyFile: z
      .string()
      .optional()
      .describe(
        "Path of the enrolled Ed25519 key: this host's own key file (PKCS#8 PEM) or a JWK JSON file",
      ),
    signerKeyEnv: z.string().optional().describe('Name of an env variable holding the key JWK'),
    chainId: z.string().optional().describe('Expected chain id (default: read from the node)'),
    batchSize: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Most records per tx (default 2,048)'),
    flushIntervalMs: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Batch wait, ms (default 10)'),
    maxPendingRecords: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Backpressure limit (default 200,000)'),
    confirmTimeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Commit timeout, ms (default 30,000)'),
  })
  .refine((args) => Boolean(args.signerKeyFile) !== Boolean(args.signerKeyEnv), {
    message: 'give exactly one of signerKeyFile or signerKeyEnv',
  })

export type CometbftLedgerArgs = z.input<typeof cometbftLedgerArgsSchema>

const LEDGER_ERRORS = [
  'LEDGER_TX_REJECTED',
  'LEDGER_TIMEOUT',
  'LEDGER_BACKPRESSURE',
  'LEDGER_UNAVAILABLE',
  'LEDGER_RECORD_INVALID',
  'ACCESS_NAMESPACE',
] as const

/** Rights a gateway caller needs (a message's `access`, docs/runtime.md): writes and reads of ledger records. */
const WRITE = { resource: '/ledger/records', action: 'write' } as const
const READ = { resource: '/ledger/records', action: 'read' } as const

export const cometbftLedgerProtocol = {
  'ledger.commit': {
    payload: ledgerRecordSchema,
    reply: receiptSchema,
    errors: LEDGER_ERRORS,
    access: WRITE,
    description:
      'Commits one record under a key of the caller’s namespace and answers with its receipt once its block is committed.',
  },
  'ledger.commit_batch': {
    payload: z.object({ records: z.array(ledgerRecordSchema).min(1).max(100_000) }),
    reply: z.object({ receipts: z.array(receiptSchema) }),
    errors: LEDGER_ERRORS,
    access: WRITE,
    description:
      'Commits many records (all in the caller’s namespace) under shared Merkle roots; one receipt per record, in order.',
  },
  'ledger.commit_compact': {
    payload: z.object({ records: z.array(ledgerRecordSchema).min(1).max(100_000) }),
    reply: compactReceiptsSchema,
    errors: LEDGER_ERRORS,
    access: WRITE,
    description:
      'Commits many records like ledger.commit_batch, answering their receipts in compact form (per batch a header and the tree nodes the records cannot rebuild; ledger/merkle/compact-receipts.ts).',
  },
  'ledger.get': {
    payload: z.object({ key: z.string().min(1) }),
    reply: receiptSchema.nullable(),
    errors: ['LEDGER_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description: 'The committed record under a key with its receipt, or null.',
  },
  'ledger.verify': {
    payload: receiptSchema,
    reply: receiptVerificationSchema,
    errors: ['LEDGER_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description: 'Verifies a receipt offline and against the chain.',
  },
  'ledger.verify_many': {
    payload: z.object({ receipts: z.array(receiptSchema).min(1).max(1_000) }),
    reply: z.object({ results: z.array(receiptVerificationSchema) }),
    errors: ['LEDGER_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description:
      'Verifies several receipts (say one per batch) concurrently in one message; one result per receipt, in order.',
  },
  'ledger.status': {
    payload: z.object({}),
    reply: z.object({
      chainId: z.string(),
      height: z.number(),
      appHash: z.string(),
      records: z.number(),
      batches: z.number(),
      signers: z.number(),
    }),
    errors: ['LEDGER_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description: 'Committed height, app hash and counts of the ledger.',
  },
  'ledger.validators': {
    payload: z.object({}),
    reply: z.object({ height: z.number(), count: z.number(), votingPower: z.number() }),
    errors: ['LEDGER_UNAVAILABLE'],
    idempotent: true,
    access: READ,
    description:
      'The CometBFT validator set at the latest height: how many and their voting power.',
  },
} as const

type LedgerActorState = { ledger: CometbftLedger }

/** The ledger actor definition (module `ledger/cometbft/cometbft-ledger-actor.ts`, export `cometbftLedgerActor`). */
export const cometbftLedgerActor = defineActor<
  LedgerActorState,
  typeof cometbftLedgerProtocol,
  CometbftLedgerArgs
>({
  name: 'cometbft-ledger',
  version: 1,
  protocol: cometbftLedgerProtocol,
  async init(rawArgs, context) {
    const args = cometbftLedgerArgsSchema.parse(rawArgs)
    let signer: SignerKey
    if (args.signerKeyFile) {
      signer = await loadSignerKey(args.signerKeyFile)
    } else {
      const jwk = process.env[args.signerKeyEnv as string]
      if (!jwk)
        throw new LedgerUnavailableError(`env variable ${args.signerKeyEnv} holds no signer key`)
      signer = parseSignerKey(jwk)
    }
    const ledger = await createCometbftLedger({
      rpcUrls: args.rpcUrls,
      signer,
      chainId: args.chainId,
      batchSize: args.batchSize,
      flushIntervalMs: args.flushIntervalMs,
      maxPendingRecords: args.maxPendingRecords,
      confirmTimeoutMs: args.confirmTimeoutMs,
      clock: context.clock,
    })
    context.log('ledger.connected', { chainId: ledger.chainId, signer: signer.publicKeyHex })
    return { ledger }
  },
  receive: {
    'ledger.commit': (record, state, context) => {
      assertWritableBy(context.caller, [record.key])
      return state.ledger.commit(record)
    },
    'ledger.commit_batch': async ({ records }, state, context) => {
      assertWritableBy(
        context.caller,
        records.map((record) => record.key),
      )
      return { receipts: await state.ledger.commitMany(records) }
    },
    'ledger.commit_compact': async ({ records }, state, context) => {
      assertWritableBy(
        context.caller,
        records.map((record) => record.key),
      )
      return compactReceipts(await state.ledger.commitMany(records))
    },
    'ledger.get': ({ key }, state) => state.ledger.get(key),
    'ledger.verify': (receipt, state) => state.ledger.verify(receipt),
    'ledger.verify_many': async ({ receipts }, state) => ({
      results: await Promise.all(receipts.map((receipt) => state.ledger.verify(receipt))),
    }),
    'ledger.status': (_payload, state) => state.ledger.status(),
    'ledger.validators': (_payload, state) => state.ledger.validators(),
  },
  async terminate(state) {
    await state.ledger.close()
  },
})
