/**
 * FinalizeBlock's writes: how an accepted transaction changes the working
 * block (its nonce, change digest, and the enrolled key or the record batch),
 * and the ExecTxResult with the events it answers. Nothing here is written to
 * SQLite; Commit does that with the block's {@link BlockChanges}.
 */
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types'
import { toHex } from '../encoding/hex.ts'
import { changeDigest } from './app-hash.ts'
import type { BatchWrite, BlockChanges } from './app-store.ts'
import type { LedgerTx } from './ledger-tx.ts'
import type { EnrollmentPayload, RecordBatchPayload } from './tx-payload.ts'
import type { Validation } from './tx-validation.ts'

/** Pending changes layered over the committed state (record keys: the working block only). */
export class Overlay {
  readonly keys = new Set<string>()
  readonly nonces = new Set<string>()
  readonly signers = new Map<string, 'node' | 'admin'>()
}

/** A transaction that passed validation, as FinalizeBlock applies it. */
export type Accepted = Extract<Validation, { code: 0 }>

/** The working block while FinalizeBlock runs. */
export type BlockInProgress = {
  readonly height: number
  readonly overlay: Overlay
  readonly changes: BlockChanges
  readonly digests: Uint8Array[]
}

/** Applies an accepted transaction to the working block; answers its ExecTxResult. */
export function applyTx(accepted: Accepted, block: BlockInProgress): Partial<ExecTxResult> {
  const { tx, txHash } = accepted
  const signer = toHex(tx.signer)
  const nonce = tx.nonce.toString()
  block.overlay.nonces.add(`${signer}:${nonce}`)
  block.changes.nonces.push({ signer, nonce })
  block.digests.push(changeDigest(txHash))
  return tx.payload.type === 'enroll'
    ? applyEnrollment(tx.payload, txHash, block)
    : applyBatch(tx, tx.payload, txHash, block)
}

function applyEnrollment(
  payload: EnrollmentPayload,
  txHash: string,
  block: BlockInProgress,
): Partial<ExecTxResult> {
  const publicKeyHex = toHex(payload.publicKey)
  block.overlay.signers.set(publicKeyHex, payload.role)
  block.changes.signers.push({
    publicKeyHex,
    role: payload.role,
    name: payload.name,
    height: block.height,
    enrolledBy: txHash.toLowerCase(),
  })
  return {
    code: 0,
    gasWanted: 1n,
    gasUsed: 1n,
    events: [
      {
        type: 'vigil_enrollment',
        attributes: [{ key: 'public_key', value: publicKeyHex, index: true }],
      },
    ],
  }
}

function applyBatch(
  tx: LedgerTx,
  payload: RecordBatchPayload,
  txHash: string,
  block: BlockInProgress,
): Partial<ExecTxResult> {
  const batchId = txHash.toLowerCase()
  const { keys } = payload
  for (const key of keys) block.overlay.keys.add(key)
  const stored = tx.payloadBytes
  const batch: BatchWrite = {
    row: {
      batchId,
      root: toHex(payload.root),
      size: keys.length,
      height: block.height,
      txHash,
      signer: toHex(tx.signer),
      records: Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength),
    },
    keys,
  }
  block.changes.batches.push(batch)
  return {
    code: 0,
    data: payload.root,
    gasWanted: 1n,
    gasUsed: 1n,
    events: [
      {
        type: 'vigil_batch',
        attributes: [
          { key: 'batch_id', value: batchId, index: true },
          { key: 'root', value: batch.row.root, index: false },
          { key: 'size', value: String(batch.row.size), index: false },
        ],
      },
    ],
  }
}
