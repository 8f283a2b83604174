/**
 * The integrity actor (one per edge host, and one at fog for audits):
 * `integrity.record` commits record hashes signed by this host's key,
 * `integrity.verify` checks one record, `integrity.audit` has the fog-db actor
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
import type { IntegrityRecord } from './integrity-record.ts'
import {
  type auditReportSchema,
  type IntegrityArgs,
  integrityArgs,
  integrityProtocol,
  MAX_RECORDS_PER_CALL,
} from './protocol.ts'
import { recordRecords } from './record-records.ts'
import { parseRecordsJson } from './records-json.ts'
import { verifyRecord } from './verify-record.ts'

type State = {
  args: ReturnType<typeof integrityArgs.parse>
  signer: BatchSigner | undefined
}

const AUDIT_TIMEOUT_MS = 300_000
const FORWARD_TIMEOUT_MS = 60_000

async function initState(rawArgs: IntegrityArgs): Promise<State> {
  const args = integrityArgs.parse(rawArgs)
  const signer = args.signingKeyPath ? await loadBatchSigner(args.signingKeyPath) : undefined
  return { args, signer }
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
      context.log('integrity.recorded', { records: records.length, digest: result.batch.digest })
      const to = state.args.forwardTo
      if (!to) return result
      // The records go on in the form they came in (one JSON text stays one string).
      const call =
        payload.recordsJson === undefined
          ? { ...result, records }
          : { ...result, recordsJson: payload.recordsJson }
      return { ...result, forwarded: await forward(context, to, call) }
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
      ),
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
