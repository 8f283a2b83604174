/**
 * The fog master database actor (one per fog site): the only owner of the
 * database (each service keeps its own store; this one collects verified
 * records from the edge). It opens and migrates SQLite or PostgreSQL at
 * start, verifies every batch before storing it (ingest-batch.ts) with the
 * identity actor (`identity.host_of_key`) and the ledger actor, and answers
 * the services' queries and the audit's reads.
 */
import { type ActorContext, BaseError, defineActor } from '../../runtime/index.ts'
import { createIntegrityLedgerOverActor, type IntegrityLedger } from '../integrity/index.ts'
import { FogDatabaseError } from './errors.ts'
import type { ExportedCalls } from './export-calls.ts'
import { type FogStore, openFogStore } from './fog-store.ts'
import type { FogTable } from './fog-tables.ts'
import { type IngestDeps, ingestBatch, ingestParametersOf, verifyDepsOver } from './ingest-batch.ts'
import { type FogDbArgs, fogDbArgs, fogDbProtocol, MAX_INGEST_RECORDS } from './protocol.ts'
import {
  type AuditShare,
  auditHosts,
  auditShared,
  shareHosts,
  type TimedAuditReport,
} from './shared-audit.ts'
import { admitVerifier, storeVerifiedCall } from './store-verified.ts'
import { syncFromPeer } from './sync-from-peer.ts'

type State = { args: ReturnType<typeof fogDbArgs.parse>; store: FogStore }

const AUDIT_PART_TIMEOUT_MS = 300_000
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
    // Vigil errors (FOG_*, a ledger's INTEGRITY_DEPENDENCY_UNAVAILABLE) already say what to fix.
    if (BaseError.is(cause)) throw cause
    throw new FogDatabaseError(
      'The fog database failed the operation: check that it is reachable and migrated',
      { cause },
    )
  }
}

function ingestDeps(state: State, context: ActorContext): IngestDeps {
  return {
    ...verifyDepsOver(context, state.args.identityActor, state.args.ledgerActor),
    store: state.store,
    nowMs: () => context.clock.now(),
  }
}

/**
 * The audit of the scope: on this worker alone, or — with verifiers and no single host in
 * scope — shared by host between this worker and each verifier (shared-audit.ts).
 */
async function audit(
  state: State,
  context: ActorContext,
  scope: { tables?: string[] | undefined; hostId?: string | undefined },
): Promise<TimedAuditReport> {
  const ledger: IntegrityLedger = createIntegrityLedgerOverActor(context, state.args.ledgerActor)
  const tables = scope.tables as FogTable[] | undefined
  const { verifiers } = state.args
  if (verifiers.length === 0 || scope.hostId !== undefined) {
    return guarded(() => auditHosts(ledger, state.store, tables, [scope.hostId]))
  }
  const hosts = await guarded(() => state.store.auditHostRows(tables))
  const count = Math.min(verifiers.length + 1, state.args.auditShares)
  const [own = [], ...others] = shareHosts(hosts, count)
  const shares = others.flatMap((hostIds, i) =>
    hostIds.length === 0
      ? []
      : [
          {
            hostIds,
            report: context.ask<AuditShare>(
              verifiers[i] as string,
              'fogdb.audit_part',
              { ...(tables ? { tables } : {}), hostIds },
              { timeoutMs: AUDIT_PART_TIMEOUT_MS },
            ),
          },
        ],
  )
  // A failed share is awaited (and reported) by auditShared; never left unhandled meanwhile.
  for (const share of shares) share.report.catch(() => undefined)
  // Let the asks leave this worker before its own share keeps it busy.
  await Promise.resolve()
  return guarded(() => auditShared(ledger, state.store, tables, own, shares))
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
    'fogdb.store_verified': (call, state, context) => {
      admitVerifier(context.caller, state.args)
      return guarded(() => storeVerifiedCall(state.store, context.clock.now(), call))
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
      const report = await audit(state, context, scope)
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
      return report
    },
  },
  terminate: (state) => state.store.close(),
})
