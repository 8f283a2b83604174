/**
 * ABCI Query for the ledger app: the paths of query-paths.ts, answered from
 * committed state only (never the check view or the working block), as JSON.
 */
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types'
import { toHex } from '../encoding/hex.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import type { Receipt } from '../protocol.ts'
import { type AppStore, type BatchRow, leafHashesOf } from './app-store.ts'
import {
  type BatchHeader,
  type BatchInfo,
  type LedgerStatus,
  QUERY_CODES,
  QUERY_PATHS,
  type SignerInfo,
} from './query-paths.ts'

/** The committed state a query reads. */
export type QueryState = {
  readonly store: AppStore
  /** Empty before InitChain. */
  readonly chainId: string
  readonly height: number
  readonly appHash: Uint8Array
}

const encoder = new TextEncoder()

/** The answer to `request`: OK with a JSON value, NOT_FOUND, or BAD_REQUEST for an unknown path. */
export function answerQuery(request: RequestQuery, state: QueryState): Partial<ResponseQuery> {
  const height = BigInt(state.height)
  const text = new TextDecoder().decode(request.data)
  if (!isQueryPath(request.path)) {
    return {
      code: QUERY_CODES.BAD_REQUEST,
      log: `unknown query path '${request.path}'; use one of ${Object.values(QUERY_PATHS).join(', ')}`,
      height,
    }
  }
  const value = lookUp(request.path, text, state)
  if (value === null) {
    return {
      code: QUERY_CODES.NOT_FOUND,
      log: `${request.path.slice(1)} '${text}' not found`,
      key: request.data,
      height,
    }
  }
  return {
    code: QUERY_CODES.OK,
    value: encoder.encode(JSON.stringify(value)),
    key: request.data,
    height,
  }
}

type QueryPath = (typeof QUERY_PATHS)[keyof typeof QUERY_PATHS]

function isQueryPath(path: string): path is QueryPath {
  return (Object.values(QUERY_PATHS) as string[]).includes(path)
}

function lookUp(path: QueryPath, text: string, state: QueryState): unknown {
  const { store, chainId } = state
  switch (path) {
    case QUERY_PATHS.record:
      return receiptOf(store, text, chainId)
    case QUERY_PATHS.batch: {
      const batch = store.batch(text.toLowerCase())
      return batch ? batchInfo(batch, chainId) : null
    }
    case QUERY_PATHS.batchHeader: {
      const batch = store.batch(text.toLowerCase())
      return batch ? batchHeader(batch, chainId) : null
    }
    case QUERY_PATHS.signer: {
      const signer = store.signer(text.toLowerCase())
      if (!signer) return null
      const info: SignerInfo = {
        publicKeyHex: signer.publicKeyHex,
        role: signer.role,
        name: signer.name,
        height: signer.height,
      }
      return info
    }
    case QUERY_PATHS.status: {
      const status: LedgerStatus = {
        chainId,
        height: state.height,
        appHash: toHex(state.appHash),
        ...store.counts(),
      }
      return status
    }
  }
}

/** The committed record under `key` with its inclusion proof, or null. */
export function receiptOf(store: AppStore, key: string, chainId: string): Receipt | null {
  const found = store.record(key)
  if (!found) return null
  const { record, leafIndex, batch, leafHashes } = found
  const tree = new MerkleTree(leafHashes)
  return {
    record,
    leafHash: toHex(tree.leaf(leafIndex)),
    leafIndex,
    treeSize: batch.size,
    auditPath: tree.auditPath(leafIndex).map(toHex),
    batchRoot: batch.root,
    batchId: batch.batchId,
    chainId,
    height: batch.height,
    txHash: batch.txHash,
  }
}

function batchInfo(batch: BatchRow, chainId: string): BatchInfo {
  return { ...batchHeader(batch, chainId), leafHashes: leafHashesOf(batch).map(toHex) }
}

function batchHeader(batch: BatchRow, chainId: string): BatchHeader {
  return {
    batchId: batch.batchId,
    root: batch.root,
    size: batch.size,
    height: batch.height,
    txHash: batch.txHash,
    signer: batch.signer,
    chainId,
  }
}
