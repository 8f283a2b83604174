/**
 * The integrity actor (one per edge host, and one at fog for audits):
 * `integrity.record` commits record hashes signed by this host's key,
 * `integrity.verify` checks one record (with a stored receipt when none is
 * given), `integrity.receipt` answers from this actor's private store of the
 * receipts it recorded, `integrity.audit` has the fog-db actor
 * re-verify the fog database in bulk (auditRows, beside the rows). The ledger is reached only
 * by messages to the ledger actor, which admits keys of this host's
 * namespace only. One message at a time (the kernel's rule): callers send
 * many records per call, and a call is answered only after its commit, so a
 * slow ledger holds callers back (the mailbox bounds how many wait) and a
 * full ledger answers INTEGRITY_BACKPRESSURE with nothing committed.
 */

import type { z } from 'zod'
import { type ActorContext, BaseError, defineActor } from '../../runtime/index.ts'
import { createAnchorCheckerOverActor } from './anchor-check.ts'
import { IntegrityKeyError, IntegrityRecordInvalidError } from './errors.ts'
import { type BatchSigner, loadBatchSigner } from './host-key.ts'
import { createIntegrityLedgerOverActor } from './integrity-ledger.ts'
import type { IntegrityReceipt } from './integrity-receipt.ts'
import type { IntegrityRecord } from './integrity-record.ts'
import {
  type auditReportSchema,
  type IntegrityArgs,
  integrityArgs,
  integrityProtocol,
  MAX_RECORDS_PER_CALL,
} from './protocol.ts'
import { recordRecords } from './record-records.ts'
import { RecordedCalls } from './recorded-calls.ts'
import { parseRecordsJson } from './records-json.ts'
import { type ReceiptLookup, verifyRecord } from './verify-record.ts'

type State = {
  args: ReturnType<typeof integrityArgs.parse>
  signer: BatchSigner | undefined
  /** The receipts of the calls recorded here (integrity.verify without a receipt). */
  recorded: RecordedCalls
}

const AUDIT_TIMEOUT_MS = 300_000
const FORWARD_TIMEOUT_MS = 60_000
const LOOKUP_TIMEOUT_MS = 5_000

async function initState(rawArgs: IntegrityArgs): Promise<State> {
  const args = integrityArgs.parse(rawArgs)
  const signer = args.signingKeyPath ? await loadBatchSigner(args.signingKeyPath) : undefined
  return { args, signer, recorded: new RecordedCalls(args.keepReceipts) }
}

/**
 * Where a stored receipt is looked up, in order: this actor's private store (its own records),
 * the producing host's integrity actor (another host's records), the fog database. A source
 * that is absent or unreachable is skipped: not finding a receipt is a verdict (`ledger`).
 */
function receiptLookup(state: State, context: ActorContext): ReceiptLookup {
  const ask = async (to: string, type: string, payload: object) => {
    try {
      const reply = await context.ask<{ receipt: IntegrityReceipt | null }>(to, type, payload, {
        timeoutMs: LOOKUP_TIMEOUT_MS,
      })
      return reply.receipt ?? null
    } catch {
      return null
    }
  }
  return async (hostId, table, id) => {
    if (hostId === state.args.hostId) {
      const own = state.recorded.find(table, id)
      if (own) return own
    } else {
      const peer = state.args.receiptPeer.replaceAll('{hostId}', hostId)
      const found = await ask(peer, 'integrity.receipt', { table, id, hostId })
      if (found) return found
    }
    return ask(state.args.fogDbActor, 'fogdb.receipt', { table, id, hostId })
  }
}

/**
 * Hands a committed call to the fog ingest. The call is on the ledger whatever the fog answers;
 * a refusal or an unreachable fog is reported in the reply (and logged), not thrown, so the
 * caller can re-deliver (ingest is idempotent). Nothing is queued for later here.
 */
async function forward(
  context: ActorContext,
  to: string,
  call: unknown,
): Promise<{ to: string; stored?: number; error?: string }> {
  try {
    const reply = await context.ask<{ stored: number }>(to, 'fogdb.ingest', call, {
      timeoutMs: FORWARD_TIMEOUT_MS,
    })
    return { to, stored: reply.stored }
  } catch (error) {
    const code = BaseError.is(error) ? error.code : 'INTEGRITY_DEPENDENCY_UNAVAILABLE'
    context.log('integrity.forward_failed', { to, code })
    return { to, error: code }
  }
}

/** A call's records, from `records` or parsed (and checked) from `recordsJson`. */
function recordsOf(payload: {
  records?: IntegrityRecord[] | undefined
  recordsJson?: string | undefined
}): IntegrityRecord[] {
  if (payload.records) return payload.records
  const parsed = parseRecordsJson(payload.recordsJson ?? '', MAX_RECORDS_PER_CALL)
  if (!parsed.ok) {
    throw new IntegrityRecordInvalidError(
      `recordsJson entry ${parsed.index}: ${parsed.reason}; send a JSON array of { table, id, data }`,
      { meta: { index: parsed.index } },
    )
  }
  return parsed.records
}

/** The `integrity` actor. */
export const integrityActor = defineActor<State, typeof integrityProtocol, IntegrityArgs>({
  name: 'integrity',
  version: 1,
  protocol: integrityProtocol,
  stateless: true,
  init: (args) => initState(args),
  receive: {
    'integrity.record': async (payload, state, context) => {
      if (!state.signer) {
        throw new IntegrityKeyError(
          'This integrity actor has no host key: give it signingKeyPath to record',
        )
      }
      const records = recordsOf(payload)
      const result = await recordRecords(
        {
          ledger: createIntegrityLedgerOverActor(context, state.args.ledgerActor),
          signer: state.signer,
          hostId: state.args.hostId,
        },
        records,
      )
      const { check, ...recorded } = result
      state.recorded.add(records, check.hashes, check.tree, check.ledger)
      context.log('integrity.recorded', { records: records.length, digest: recorded.batch.digest })
      const to = state.args.forwardTo
      if (!to) return recorded
      // The records go on in the form they came in (one JSON text stays one string).
      const call =
        payload.recordsJson === undefined
          ? { ...recorded, records }
          : { ...recorded, recordsJson: payload.recordsJson }
      return { ...recorded, forwarded: await forward(context, to, call) }
    },
    'integrity.verify': (payload, state, context) =>
      verifyRecord(
        createIntegrityLedgerOverActor(context, state.args.ledgerActor),
        {
          record: payload.record,
          hostId: payload.hostId ?? state.args.hostId,
          receipt: payload.receipt,
        },
        state.args.ethereumActor
          ? createAnchorCheckerOverActor(context, state.args.ethereumActor)
          : undefined,
        receiptLookup(state, context),
      ),
    'integrity.receipt': async ({ table, id, hostId }, state) => ({
      receipt:
        hostId === undefined || hostId === state.args.hostId
          ? state.recorded.find(table, id)
          : null,
    }),
    // The audit runs inside the fog-db actor, beside the rows (auditRows, with the fog's ledger
    // actor): moving every row and receipt between workers cost 3× the audit itself.
    'integrity.audit': async (scope, state, context) => {
      const report = await context.ask<z.input<typeof auditReportSchema>>(
        state.args.fogDbActor,
        'fogdb.audit',
        scope,
        { timeoutMs: AUDIT_TIMEOUT_MS },
      )
      context.log('integrity.audited', {
        checked: report.checked,
        tampered: report.tampered.length,
        missing: report.missing.length,
        unrecorded: report.unrecorded.length,
      })
      return report
    },
  },
  snapshot: (state) => state.args,
  migrate: (_fromVersion, snapshot) => initState(snapshot as IntegrityArgs),
})
