/**
 * Ingest at fog: a batch from an edge host is stored only when all of it
 * verifies — its signer is a registered host whose id the batch names, the
 * signature covers exactly these records' hashes, each record fits its table,
 * the call tree over the records' leaves gives the root whose ledger entry
 * rebuilds its ledger batch root from the compact proof (integrity's
 * checkCallProof), and that batch is confirmed against the ledger. Anything
 * else refuses the whole batch (FOG_BATCH_REFUSED, naming the entry and part)
 * before a single row is written. Re-delivery stores nothing twice; a record
 * id already stored under another hash refuses the batch whole
 * (FOG_RECORD_CONFLICT, fog-store.ts).
 */
import type { CompactBatch, CompactReceipts, Receipt } from '../../ledger/index.ts'
import { type ActorContext, BaseError } from '../../runtime/index.ts'
import {
  batchDigest,
  type CallProofCheck,
  callEntryReceipt,
  checkCallProof,
  compareWithLedger,
  createIntegrityLedgerOverActor,
  type IntegrityLedger,
  type IntegrityRecord,
  leavesHex,
  parseRecordsJson,
  recordHash,
  type SignedBatch,
  type StoredReceipt,
  type StoredRow,
  type Verification,
  verifyBatchSignature,
} from '../integrity/index.ts'
import { FogBatchRefusedError } from './errors.ts'
import type { FogStore } from './fog-store.ts'
import { FOG_TABLES, type FogTable, misfitColumn } from './fog-tables.ts'

/** One `integrity.record` call as the edge hands it to the fog: records, signature, receipts. */
export type IngestParameters = {
  readonly batch: SignedBatch
  readonly records: IntegrityRecord[]
  /** The call's receipts, compact (integrity.record's reply). */
  readonly proof: CompactReceipts
  /**
   * The call root as the edge answered it: lets the ledger confirm the call's batch while the
   * records are checked. Only a hint: the root is recomputed from the records and must match.
   */
  readonly callRoot?: string | undefined
}

/** `fogdb.ingest`'s payload: the records as objects or as one JSON array text. */
export type IngestPayload = Omit<IngestParameters, 'records'> & {
  readonly records?: IntegrityRecord[] | undefined
  readonly recordsJson?: string | undefined
}

/** The call of an ingest payload; a records text that holds no records is refused whole. */
export function ingestParametersOf(payload: IngestPayload, max: number): IngestParameters {
  const { batch, proof } = payload
  const hint = payload.callRoot === undefined ? {} : { callRoot: payload.callRoot }
  if (payload.records) return { batch, proof, records: payload.records, ...hint }
  const parsed = parseRecordsJson(payload.recordsJson ?? '', max)
  if (!parsed.ok) {
    refuse(`recordsJson entry ${parsed.index}: ${parsed.reason}`, {
      index: parsed.index,
      part: 'record',
    })
  }
  return { batch, proof, records: parsed.records, ...hint }
}

/** What the identity actor says about a key (`identity.host_of_key`). */
export type HostOfKey = { readonly hostId: string; readonly registered: boolean }

/** What verification needs: the ledger and the identity actor (no database). */
export type VerifyDeps = {
  readonly ledger: IntegrityLedger
  /** Resolves an edge host key; throws or answers unregistered for keys of no enrolled host. */
  hostOfKey(publicKey: string): Promise<HostOfKey>
}

const IDENTITY_TIMEOUT_MS = 10_000

/** Verification over actors: the identity actor for signers, the ledger actor for batches. */
export function verifyDepsOver(
  context: ActorContext,
  identityActor: string,
  ledgerActor: string,
): VerifyDeps {
  return {
    ledger: createIntegrityLedgerOverActor(context, ledgerActor),
    hostOfKey: (publicKey) =>
      context.ask<HostOfKey>(
        identityActor,
        'identity.host_of_key',
        { publicKey },
        { timeoutMs: IDENTITY_TIMEOUT_MS },
      ),
  }
}

export type IngestDeps = VerifyDeps & {
  readonly store: FogStore
  readonly nowMs: () => number
}

/**
 * What verification established about a call, in the compact form a store actor is handed:
 * each record's hash (hex, 64 characters a record, in call order), the call root, its leaves
 * (hex, in order) and the ledger batch of its entry.
 */
export type Verdict = {
  readonly hashes: string
  readonly callRoot: string
  readonly leaves: string
  readonly batchId: string
}

/** Verifies and stores one batch; returns how many of its records were new. */
export async function ingestBatch(
  deps: IngestDeps,
  call: IngestParameters,
): Promise<{ stored: number; records: number }> {
  const verdict = await verifyBatch(deps, call)
  return storeVerified(deps.store, deps.nowMs(), call, verdict)
}

/**
 * Verifies one batch without touching the database (what a verifier replica runs): signer,
 * records, signature, call tree and proof, and the ledger's confirmation of its batch.
 * Throws FOG_BATCH_REFUSED naming the part that failed.
 */
export async function verifyBatch(
  deps: VerifyDeps,
  { batch, records, proof, callRoot }: IngestParameters,
): Promise<Verdict> {
  // The identity actor looks the key up while this worker checks the records; its verdict
  // still comes first (a batch of an unknown signer is refused as such, whatever else fails).
  const signer = checkSigner(deps, batch).then(
    () => null,
    (error: unknown) => ({ error }),
  )
  const early = earlyConfirmation(deps.ledger, batch.hostId, proof, callRoot)
  let checked: { hashes: string[]; check: Extract<CallProofCheck, { valid: true }> } | undefined
  let failure: unknown
  try {
    checked = checkRecords(batch, records, proof)
  } catch (error) {
    failure = error
  }
  const signerFailure = await signer
  if (signerFailure) throw signerFailure.error
  if (!checked) throw failure
  const { hashes, check } = checked
  // The ledger confirms the call's one entry: its batch row and the tx proof in its block
  // (asked early when the edge named the call root, and that root is the recomputed one).
  const asked = early && early.root === check.callRoot ? early.results : undefined
  await confirmLedgerBatches(deps.ledger, [check.ledger], asked)
  return {
    hashes: hashes.join(''),
    callRoot: check.callRoot,
    leaves: leavesHex(check.tree),
    batchId: check.ledger.batchId,
  }
}

/** Stores a batch `verdict` vouches for, in one transaction; returns how many records were new. */
export async function storeVerified(
  store: FogStore,
  nowMs: number,
  { batch, records, proof }: IngestParameters,
  verdict: Verdict,
): Promise<{ stored: number; records: number }> {
  const hostId = batch.hostId
  const { batchId, hashes } = verdict
  const rows: StoredRow[] = new Array(records.length)
  const receipts: StoredReceipt[] = new Array(records.length)
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as IntegrityRecord
    rows[i] = { table: record.table, hostId, id: record.id, data: record.data }
    receipts[i] = {
      table: record.table,
      hostId,
      id: record.id,
      recordHash: hashes.slice(i * 64, i * 64 + 64),
      batchDigest: batch.digest,
      batchId,
      leafIndex: i,
    }
  }
  const { stored } = await store.storeBatch(
    {
      digest: batch.digest,
      hostId,
      hostPublicKey: batch.hostPublicKey,
      signature: batch.signature,
      rows,
      receipts,
      proof: {
        batchDigest: batch.digest,
        batch: proof.batches[0] as CompactBatch,
        leafIndex: proof.leafIndex[0] as number,
      },
      callRoot: verdict.callRoot,
      leaves: verdict.leaves,
    },
    nowMs,
  )
  return { stored, records: records.length }
}

/** Each record fits and hashes, the signature covers the hashes, the proof rebuilds each root. */
function checkRecords(
  batch: SignedBatch,
  records: readonly IntegrityRecord[],
  proof: CompactReceipts,
) {
  const hostId = batch.hostId
  const hashes = records.map((record, index) => checkRecord(hostId, record, index))
  const digest = Buffer.from(batchDigest(hostId, hashes)).toString('hex')
  if (
    digest !== batch.digest ||
    !verifyBatchSignature(batch.hostPublicKey, Buffer.from(digest, 'hex'), batch.signature)
  ) {
    refuse(
      'The batch signature does not cover these records: the batch was altered or signed by another key',
      { part: 'signature' },
    )
  }
  const check = checkCallProof(hostId, records, hashes, proof)
  if (!check.valid) {
    refuse(`The receipts fail (${check.part}): ${check.reason}`, {
      part: check.part,
      batch: check.batch,
    })
  }
  return { hashes, check }
}

function refuse(message: string, meta: Record<string, unknown>): never {
  throw new FogBatchRefusedError(`${message}; nothing of the batch was stored`, { meta })
}

async function checkSigner(deps: VerifyDeps, batch: SignedBatch): Promise<void> {
  let host: HostOfKey
  try {
    host = await deps.hostOfKey(batch.hostPublicKey)
  } catch (error) {
    // The identity actor being unreachable says nothing about the batch: not a refusal.
    if (BaseError.is(error) && error.kind === 'runtime') throw error
    host = { hostId: '', registered: false }
  }
  if (host.hostId === '') {
    refuse(`The batch is signed by a key no enrolled host holds (claimed host ${batch.hostId})`, {
      part: 'signer',
    })
  }
  if (!host.registered)
    refuse(`Host ${host.hostId} is not (or no longer) registered`, { part: 'signer' })
  if (host.hostId !== batch.hostId) {
    refuse(`The batch names host ${batch.hostId} but is signed by host ${host.hostId}`, {
      part: 'signer',
    })
  }
}

/** Checks that a record fits its table exactly; answers its hash. */
function checkRecord(hostId: string, record: IntegrityRecord, index: number): string {
  if (!Object.hasOwn(FOG_TABLES, record.table))
    refuse(`Entry ${index}: the fog database has no table ${record.table}`, {
      index,
      part: 'record',
    })
  const misfit = misfitColumn(record.table as FogTable, record.data)
  if (misfit !== null) {
    refuse(
      `Entry ${index}: ${record.table}/${record.id} does not fit its table's columns (${misfit})`,
      { index, part: 'record' },
    )
  }
  try {
    return recordHash(record, hostId)
  } catch {
    return refuse(`Entry ${index}: ${record.table}/${record.id} is not plain JSON (RFC 8785)`, {
      index,
      part: 'record',
    })
  }
}

/** The ledger's confirmation of the call's batch, asked before the records are checked. */
function earlyConfirmation(
  ledger: IntegrityLedger,
  hostId: string,
  proof: CompactReceipts,
  callRoot: string | undefined,
): { root: string; results: Promise<Verification[]> } | undefined {
  const batch = proof.batches[0]
  if (!callRoot || !batch || proof.batches.length !== 1 || proof.leafIndex.length !== 1) return
  const receipt = callEntryReceipt(hostId, callRoot, batch, proof.leafIndex[0] as number)
  if (!receipt) return
  const results = ledger.verifyMany([receipt])
  results.catch(() => undefined) // awaited (and so reported) only if the records check out
  return { root: callRoot, results }
}

/** Confirms each Merkle batch once: the ledger holds it as stated and the chain proves it. */
async function confirmLedgerBatches(
  ledger: IntegrityLedger,
  receipts: readonly Receipt[],
  asked?: Promise<Verification[]>,
): Promise<void> {
  // One round trip for all; the ledger's receipt is fetched only to name a failure.
  const results = await (asked ?? ledger.verifyMany(receipts))
  for (const [i, receipt] of receipts.entries()) {
    const chain = results[i]
    if (chain?.valid) continue
    const held = await ledger.get(receipt.record.key)
    if (!held) refuse(`The ledger holds no ${receipt.record.key}`, { part: 'ledger' })
    const agreed = compareWithLedger(receipt, held)
    if (!agreed.valid) {
      refuse(`A receipt departs from the ledger (${agreed.part}): ${agreed.reason}`, {
        part: agreed.part,
      })
    }
    refuse(`The chain does not prove batch ${receipt.batchId}: ${chain?.reason ?? ''}`, {
      part: 'chain',
    })
  }
}
