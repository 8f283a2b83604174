/**
 * A fog-verifier replica: the stateless half of ingest, in front of the one
 * fog-db actor that writes. `fogdb.ingest` here runs every check the fog-db's
 * own ingest runs (ingest-batch.ts's verifyBatch: registered signer,
 * signature over the recomputed hashes, call tree and compact proof, the
 * ledger's confirmation of the batch), then hands the call and its verdict to
 * the store actor (`fogdb.store_verified`, accepted only from the actors the
 * fog-db lists as its verifiers) and answers what the store answered. A batch
 * that fails is refused before the store sees it; the store writes a call
 * whole or not at all. Several replicas (one worker each) verify calls side
 * by side while the store writes, so the checks and their identity and ledger
 * round trips no longer queue behind one another in one worker.
 *
 * `fogdb.audit_part` is this worker's share of a `fogdb.audit` (the rows of
 * some hosts, shared-audit.ts), read from the same database (opened on first
 * use; SQLite in WAL mode, or the PostgreSQL server).
 */
import { z } from 'zod'
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { createIntegrityLedgerOverActor } from '../integrity/index.ts'
import { type FogStore, openFogStore } from './fog-store.ts'
import type { FogTable } from './fog-tables.ts'
import { ingestParametersOf, verifyBatch, verifyDepsOver } from './ingest-batch.ts'
import { auditPartMessage, ingestMessage, MAX_INGEST_RECORDS } from './protocol.ts'
import { auditHosts, deferringLedger } from './shared-audit.ts'
import type { VerifiedCall } from './store-verified.ts'

/** Init arguments of a fog-verifier replica (plain data). */
export const fogVerifierArgs = z.object({
  storeActor: z.string().default('fog-db').describe('The fog-db actor that stores verified calls'),
  identityActor: z.string().default('identity').describe('Actor answering identity.host_of_key'),
  ledgerActor: z.string().default('ledger').describe('Name of the ledger actor'),
  databaseUrl: z
    .string()
    .optional()
    .describe('The fog-db’s PostgreSQL URL (for audit shares); absent: its SQLite databaseFile'),
  databaseFile: z
    .string()
    .default('.data/fog.sqlite')
    .describe('The fog-db’s SQLite file (for audit shares); default .data/fog.sqlite'),
})

export type FogVerifierArgs = z.input<typeof fogVerifierArgs>

type State = { args: z.output<typeof fogVerifierArgs>; store?: FogStore }

const STORE_TIMEOUT_MS = 60_000

/** Messages of a `fog-verifier` replica. */
export const fogVerifierProtocol = {
  'fogdb.ingest': ingestMessage,
  'fogdb.audit_part': auditPartMessage,
} as const

async function storeOf(state: State): Promise<FogStore> {
  state.store ??= await openFogStore({ url: state.args.databaseUrl, file: state.args.databaseFile })
  return state.store
}

/** The `fog-verifier` actor (stateless: run as many replicas as there are cores to spare). */
export const fogVerifierActor = defineActor<State, typeof fogVerifierProtocol, FogVerifierArgs>({
  name: 'fog-verifier',
  version: 1,
  protocol: fogVerifierProtocol,
  stateless: true,
  init: (args) => ({ args: fogVerifierArgs.parse(args) }),
  receive: {
    'fogdb.ingest': async (payload, state, context: ActorContext) => {
      const { args } = state
      const call = ingestParametersOf(payload, MAX_INGEST_RECORDS)
      const verdict = await verifyBatch(
        verifyDepsOver(context, args.identityActor, args.ledgerActor),
        call,
      )
      const verified: VerifiedCall = {
        batch: call.batch,
        // The store parses the very text that was checked here.
        recordsJson: payload.recordsJson ?? JSON.stringify(call.records),
        proof: call.proof,
        ...verdict,
      }
      return context.ask<{ stored: number; records: number }>(
        args.storeActor,
        'fogdb.store_verified',
        verified,
        { timeoutMs: STORE_TIMEOUT_MS },
      )
    },
    'fogdb.audit_part': async ({ tables, hostIds }, state, context) => {
      // The fog-db confirms the batches this share assumed, each distinct batch once.
      const deferring = deferringLedger(
        createIntegrityLedgerOverActor(context, state.args.ledgerActor),
      )
      const report = await auditHosts(
        deferring.ledger,
        await storeOf(state),
        tables as FogTable[] | undefined,
        hostIds,
      )
      return { ...report, assumed: [...deferring.assumed.values()] }
    },
  },
  terminate: (state) => state.store?.close(),
})
