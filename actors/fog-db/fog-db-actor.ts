/**
 * The fog master database actor (one per fog site): the only owner of the
 * database (each service keeps its own store; this one collects verified
 * records from the edge). It opens and migrates SQLite or PostgreSQL at
 * start, verifies every batch before storing it (ingest-batch.ts) with the
 * identity actor (`identity.host_of_key`) and the ledger actor, and answers
 * the services' queries and the audit's reads.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { auditRows, createIntegrityLedgerOverActor } from '../integrity/index.ts'
import { FogDatabaseError } from './errors.ts'
import type { ExportedCalls } from './export-calls.ts'
import { type FogStore, openFogStore } from './fog-store.ts'
import type { FogTable } from './fog-tables.ts'
import { type HostOfKey, type IngestDeps, ingestBatch, ingestParametersOf } from './ingest-batch.ts'
import { type FogDbArgs, fogDbArgs, fogDbProtocol, MAX_INGEST_RECORDS } from './protocol.ts'
import { syncFromPeer } from './sync-from-peer.ts'

type State = { args: ReturnType<typeof fogDbArgs.parse>; store: FogStore }

const IDENTITY_TIMEOUT_MS = 10_000
const EXPORT_TIMEOUT_MS = 60_000

async function initState(rawArgs: FogDbArgs): Promise<State> {
  const args = fogDbArgs.parse(rawArgs)
  const store = await openFogStore({ url: args.databaseUrl, file: args.databaseFile })
  return { args, store }
}

/** Wraps store failures so callers see FOG_DATABASE, never a driver's message with a URL in it. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (cause) {
    if (
      cause instanceof Error &&
      'code' in cause &&
      typeof cause.code === 'string' &&
      cause.code.startsWith('FOG_')
    )
      throw cause
    throw new FogDatabaseError(
      'The fog database failed the operation: check that it is reachable and migrated',
      { cause },
    )
  }
}

function ingestDeps(state: State, context: ActorContext): IngestDeps {
  return {
    store: state.store,
    ledger: createIntegrityLedgerOverActor(context, state.args.ledgerActor),
    hostOfKey: (publicKey) =>
      context.ask<HostOfKey>(
        state.args.identityActor,
        'identity.host_of_key',
        { publicKey },
        { timeoutMs: IDENTITY_TIMEOUT_MS },
      ),
    nowMs: () => context.clock.now(),
  }
}

/** The `fog-db` actor. */
export const fogDbActor = defineActor<State, typeof fogDbProtocol, FogDbArgs>({
  name: 'fog-db',
  version: 1,
  protocol: fogDbProtocol,
  init: (args, context) => {
    context.log('fog-db.init', { dialect: args.databaseUrl ? 'postgres' : 'sqlite' })
    return initState(args)
  },
  receive: {
    'fogdb.ingest': async (payload, state, context) => {
      const call = ingestParametersOf(payload, MAX_INGEST_RECORDS)
      const result = await ingestBatch(ingestDeps(state, context), call)
      context.log('fogdb.ingested', { host: payload.batch.hostId, ...result })
      return result
    },
    'fogdb.export': ({ after, limit }, state) =>
      guarded(() => state.store.exportCalls(after, limit)),
    'fogdb.sync': async ({ peer }, state, context) => {
      const result = await syncFromPeer(ingestDeps(state, context), peer, (after) =>
        context.ask<ExportedCalls>(
          peer,
          'fogdb.export',
          // No `after` key on the first page: msgpack would carry undefined as null.
          after ? { after } : {},
          { timeoutMs: EXPORT_TIMEOUT_MS },
        ),
      )
      context.log('fogdb.synced', { peer, calls: result.calls, refused: result.refused.length })
      return result
    },
    'fogdb.query': async (query, state) => ({
      rows: await guarded(() => state.store.query({ ...query, table: query.table as FogTable })),
    }),
    'fogdb.receipt': async ({ table, hostId, id }, state) => ({
      receipt: await guarded(() => state.store.receiptOf(hostId, table, id)),
    }),
    'fogdb.audit': async (scope, state, context) => {
      const started = performance.now()
      const material = await guarded(() =>
        state.store.auditMaterial({
          tables: scope.tables as FogTable[] | undefined,
          hostId: scope.hostId,
        }),
      )
      const materialMs = performance.now() - started
      const report = await auditRows(
        createIntegrityLedgerOverActor(context, state.args.ledgerActor),
        material.rows,
        material.receipts,
        material.proofs,
        material.calls,
      )
      const durationMs = performance.now() - started
      await guarded(() =>
        state.store.saveAuditRun({
          ranAtMs: context.clock.now(),
          scope: JSON.stringify(scope),
          checked: report.checked,
          intact: report.intact,
          tampered: report.tampered.length,
          missing: report.missing.length,
          unrecorded: report.unrecorded.length,
          report: JSON.stringify(report),
        }),
      )
      return { ...report, durationMs, materialMs }
    },
  },
  terminate: (state) => state.store.close(),
})
