/**
 * Algorithm 2 at the edge (`integrity.record`): hash each record's canonical
 * bytes, sign the call's batch with the host key, commit the call as one
 * ledger entry (the root of the call tree over the records' leaves,
 * call-tree.ts) through the ledger's Merkle batching, and answer only once it
 * is committed, with the call's proof, checked offline first.
 */
import type { CompactReceipts } from '../../ledger/index.ts'
import { BaseError } from '../../runtime/index.ts'
import { batchDigest } from './batch-digest.ts'
import { type CallProofCheck, checkCallProof } from './call-proof.ts'
import { callEntry, callTree } from './call-tree.ts'
import {
  IntegrityBackpressureError,
  IntegrityDependencyError,
  IntegrityRecordInvalidError,
} from './errors.ts'
import type { BatchSigner } from './host-key.ts'
import type { HashRecord, IntegrityLedger } from './integrity-ledger.ts'
import { type IntegrityRecord, recordHash } from './integrity-record.ts'

/** The edge host's signature over one call's records, as the fog's ingest checks it. */
export type SignedBatch = {
  readonly hostId: string
  /** base64 of the raw 32-byte Ed25519 key. */
  readonly hostPublicKey: string
  /** Hex of {@link batchDigest} over the records' hashes in order. */
  readonly digest: string
  readonly signature: string
}

export type RecordRecordsDeps = {
  readonly ledger: IntegrityLedger
  readonly signer: BatchSigner
  readonly hostId: string
}

export type RecordRecordsResult = {
  /** The ledger receipt of the call's entry, compact (receiptsOfCall gives one per record). */
  readonly proof: CompactReceipts
  readonly batch: SignedBatch
  /** The call root committed under integrity:<hostId>/call/<callRoot>. */
  readonly callRoot: string
}

/** {@link recordRecords}' result with the checked proof (for a private receipt store). */
export type RecordedCall = RecordRecordsResult & {
  readonly check: Extract<CallProofCheck, { valid: true }>
}

/** Hashes, signs and commits `records`; resolves once every hash is committed. */
export async function recordRecords(
  deps: RecordRecordsDeps,
  records: readonly IntegrityRecord[],
): Promise<RecordedCall> {
  const hashes = hashAll(records, deps.hostId)
  const tree = callTree(deps.hostId, records, hashes)
  const callRoot = Buffer.from(tree.root).toString('hex')
  const digest = batchDigest(deps.hostId, hashes)
  const batch: SignedBatch = {
    hostId: deps.hostId,
    hostPublicKey: deps.signer.publicKey,
    digest: Buffer.from(digest).toString('hex'),
    signature: deps.signer.sign(digest),
  }
  const proof = await commit(deps.ledger, [callEntry(deps.hostId, callRoot)])
  const check = checkCallProof(deps.hostId, records, hashes, proof, tree)
  if (!check.valid) {
    throw new IntegrityDependencyError(
      `The ledger answered receipts that do not prove the records (${check.part}: ${check.reason}): check the ledger actor`,
    )
  }
  return { batch, proof, callRoot, check }
}

function hashAll(records: readonly IntegrityRecord[], hostId: string): string[] {
  const seen = new Set<string>()
  return records.map((record, index) => {
    const ref = `${record.table}/${record.id}`
    if (seen.has(ref)) {
      throw new IntegrityRecordInvalidError(
        `Record ${ref} appears twice in one call: send it once`,
        {
          meta: { index },
        },
      )
    }
    seen.add(ref)
    try {
      return recordHash(record, hostId)
    } catch (cause) {
      throw new IntegrityRecordInvalidError(
        `Record ${ref} cannot be canonicalized (RFC 8785): use only strings, finite numbers, booleans, null, arrays and plain objects`,
        { cause, meta: { index } },
      )
    }
  })
}

async function commit(ledger: IntegrityLedger, records: HashRecord[]): Promise<CompactReceipts> {
  let receipts: CompactReceipts
  try {
    receipts = await ledger.commitBatch(records)
  } catch (cause) {
    if (BaseError.is(cause) && (cause as { code?: string }).code === 'LEDGER_BACKPRESSURE') {
      throw new IntegrityBackpressureError(
        'The ledger is behind and committed none of these records: retry later or send fewer at once',
        { cause },
      )
    }
    throw cause
  }
  return receipts
}
