/**
 * Ingest at fog: a batch from an edge host is stored only when all of it
 * verifies — its signer is a registered host whose id the batch names, the
 * signature covers exactly these records' hashes, each record fits its table
 * and hashes to its receipt, each receipt proves its hash offline, and each
 * distinct ledger batch is confirmed against the ledger. Anything else
 * refuses the whole batch (FOG_BATCH_REFUSED, naming the entry and part)
 * before a single row is written. Re-delivery stores nothing twice.
 */

import type { Receipt } from '../../ledger/index.ts'
import { BaseError } from '../../runtime/index.ts'
import {
  batchDigest,
  checkReceiptOffline,
  compareWithLedger,
  type IntegrityLedger,
  type IntegrityReceipt,
  type IntegrityRecord,
  integrityLedgerKey,
  recordHash,
  type SignedBatch,
  type StoredReceipt,
  type StoredRow,
  verifyBatchSignature,
} from '../integrity/index.ts'
import { FogBatchRefusedError } from './errors.ts'
import type { FogStore } from './fog-store.ts'
import { FOG_DATA_SCHEMAS, type FogTable } from './fog-tables.ts'

export type IngestEntry = { readonly record: IntegrityRecord; readonly receipt: IntegrityReceipt }

export type IngestParameters = {
  readonly batch: SignedBatch
  readonly entries: readonly IngestEntry[]
}

/** What the identity actor says about a key (`identity.host_of_key`). */
export type HostOfKey = { readonly hostId: string; readonly registered: boolean }

export type IngestDeps = {
  readonly store: FogStore
  readonly ledger: IntegrityLedger
  /** Resolves an edge host key; throws or answers unregistered for keys of no enrolled host. */
  hostOfKey(publicKey: string): Promise<HostOfKey>
  readonly nowMs: () => number
}

/** Verifies and stores one batch; returns how many of its records were new. */
export async function ingestBatch(
  deps: IngestDeps,
  { batch, entries }: IngestParameters,
): Promise<{ stored: number; records: number }> {
  await checkSigner(deps, batch)
  const rows: StoredRow[] = []
  const receipts: StoredReceipt[] = []
  const hashes: string[] = []
  entries.forEach((entry, index) => {
    const row = checkEntry(batch.hostId, entry, index)
    rows.push(row)
    hashes.push(entry.receipt.recordHash)
    receipts.push({
      table: row.table,
      hostId: row.hostId,
      id: row.id,
      recordHash: entry.receipt.recordHash,
      ledger: entry.receipt.ledger,
    })
  })
  const digest = Buffer.from(batchDigest(batch.hostId, hashes)).toString('hex')
  if (
    digest !== batch.digest ||
    !verifyBatchSignature(batch.hostPublicKey, Buffer.from(digest, 'hex'), batch.signature)
  ) {
    refuse(
      'The batch signature does not cover these records: the batch was altered or signed by another key',
      { part: 'signature' },
    )
  }
  await confirmLedgerBatches(
    deps.ledger,
    entries.map((entry) => entry.receipt.ledger),
  )
  const { stored } = await deps.store.storeBatch(
    {
      digest,
      hostId: batch.hostId,
      hostPublicKey: batch.hostPublicKey,
      signature: batch.signature,
      rows,
      receipts,
    },
    deps.nowMs(),
  )
  return { stored, records: entries.length }
}

function refuse(message: string, meta: Record<string, unknown>): never {
  throw new FogBatchRefusedError(`${message}; nothing of the batch was stored`, { meta })
}

async function checkSigner(deps: IngestDeps, batch: SignedBatch): Promise<void> {
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

function checkEntry(hostId: string, { record, receipt }: IngestEntry, index: number): StoredRow {
  const schema = FOG_DATA_SCHEMAS[record.table as FogTable]
  if (!schema)
    refuse(`Entry ${index}: the fog database has no table ${record.table}`, {
      index,
      part: 'record',
    })
  if (!schema.safeParse(record.data).success) {
    refuse(`Entry ${index}: ${record.table}/${record.id} does not fit its table's columns`, {
      index,
      part: 'record',
    })
  }
  const hash = recordHash(record, hostId)
  if (hash !== receipt.recordHash) {
    refuse(`Entry ${index}: ${record.table}/${record.id} does not hash to its receipt`, {
      index,
      part: 'record',
    })
  }
  const check = checkReceiptOffline(
    integrityLedgerKey(hostId, record.table, record.id),
    hash,
    receipt.ledger,
  )
  if (!check.valid)
    refuse(`Entry ${index}: the receipt fails (${check.part}): ${check.reason}`, {
      index,
      part: check.part,
    })
  return { table: record.table, hostId, id: record.id, data: record.data }
}

/** Confirms each distinct ledger batch once: the ledger holds it as stated and the chain proves it. */
async function confirmLedgerBatches(
  ledger: IntegrityLedger,
  receipts: readonly Receipt[],
): Promise<void> {
  const seen = new Map<string, Receipt>()
  for (const receipt of receipts) {
    const key = [
      receipt.batchId,
      receipt.batchRoot,
      receipt.height,
      receipt.treeSize,
      receipt.txHash,
    ].join('|')
    if (!seen.has(key)) seen.set(key, receipt)
  }
  await Promise.all(
    [...seen.values()].map(async (receipt) => {
      // One ledger.verify per batch; the ledger's receipt is fetched only to name a failure.
      const chain = await ledger.verify(receipt)
      if (chain.valid) return
      const held = await ledger.get(receipt.record.key)
      if (!held) refuse(`The ledger holds no ${receipt.record.key}`, { part: 'ledger' })
      const agreed = compareWithLedger(receipt, held)
      if (!agreed.valid) {
        refuse(`A receipt departs from the ledger (${agreed.part}): ${agreed.reason}`, {
          part: agreed.part,
        })
      }
      refuse(`The chain does not prove batch ${receipt.batchId}: ${chain.reason ?? ''}`, {
        part: 'chain',
      })
    }),
  )
}
