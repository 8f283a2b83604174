/**
 * The store side of split ingest: `fogdb.store_verified` carries a call as
 * the edge delivered it (batch, records text, proof) and what a fog-verifier
 * replica established about it (each record's hash, the call root and
 * leaves, the ledger batch). The fog-db actor accepts it only from the
 * actors listed as its verifiers (the caller comes from the envelope, set by
 * the kernel or admitted host RPC, never from the payload), parses the same
 * records text the verifier checked, and writes it in one transaction: whole
 * or nothing, re-delivery stored once, a conflicting hash refused
 * (FOG_RECORD_CONFLICT) — exactly as `fogdb.ingest` stores.
 */
import type { CompactReceipts } from '../../ledger/index.ts'
import { type Caller, HOST_CALLER_PREFIX } from '../../runtime/index.ts'
import type { SignedBatch } from '../integrity/index.ts'
import { FogBatchRefusedError, FogCallerRefusedError } from './errors.ts'
import type { FogStore } from './fog-store.ts'
import { ingestParametersOf, storeVerified, type Verdict } from './ingest-batch.ts'
import { MAX_INGEST_RECORDS } from './protocol.ts'

/** `fogdb.store_verified`'s payload: the call as delivered, and its verdict. */
export type VerifiedCall = Verdict & {
  readonly batch: SignedBatch
  readonly recordsJson: string
  readonly proof: CompactReceipts
}

/** Who may hand the store verified calls: the verifier actors, of this host when it is named. */
export type VerifierPolicy = {
  readonly verifiers: readonly string[]
  readonly hostId?: string | undefined
}

/** Refuses (FOG_CALLER_REFUSED) a caller that is not one of the policy's verifiers. */
export function admitVerifier(caller: Caller | undefined, policy: VerifierPolicy): void {
  const actor = caller?.claims?.actor
  const ownHost =
    policy.hostId === undefined ||
    (caller?.id === `${HOST_CALLER_PREFIX}${policy.hostId}` &&
      caller.claims?.host === policy.hostId)
  if (
    !caller?.id.startsWith(HOST_CALLER_PREFIX) ||
    !actor ||
    !policy.verifiers.includes(actor) ||
    !ownHost
  ) {
    throw new FogCallerRefusedError(
      `Only the fog-db's verifiers (${policy.verifiers.join(', ') || 'none configured'}) may store verified calls, not ${caller?.id ?? 'an anonymous caller'}${actor ? ` (${actor})` : ''}: send the batch to fogdb.ingest; nothing was stored`,
    )
  }
}

/** Stores a verified call whole; returns how many of its records were new. */
export async function storeVerifiedCall(
  store: FogStore,
  nowMs: number,
  call: VerifiedCall,
): Promise<{ stored: number; records: number }> {
  const parameters = ingestParametersOf(
    { batch: call.batch, proof: call.proof, recordsJson: call.recordsJson },
    MAX_INGEST_RECORDS,
  )
  if (
    call.hashes.length !== parameters.records.length * 64 ||
    call.leaves.length !== call.hashes.length
  ) {
    throw new FogBatchRefusedError(
      'The verdict does not cover these records (one hash and one leaf a record): the verifier and the store disagree; nothing of the batch was stored',
      { meta: { part: 'verdict' } },
    )
  }
  return storeVerified(store, nowMs, parameters, call)
}
