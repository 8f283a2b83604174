/**
 * ABCI Query paths of the vigil ledger app (`/abci_query?path=…&data=…`).
 * Answers are JSON (UTF-8) in `value`, read from the last committed state;
 * the query `height` is ignored and the answer's `height` is the committed
 * height. See docs/ledger.md.
 */
export const QUERY_PATHS = {
  /** data = record key (UTF-8) → a Receipt (record + inclusion proof in its batch). */
  record: '/record',
  /** data = batch id (lowercase hex tx hash) → a BatchInfo with every leaf hash. */
  batch: '/batch',
  /**
   * data = batch id → the BatchInfo without its leaf hashes (a BatchHeader): what a receipt's
   * verification needs, without hashing and sending every leaf of the batch.
   */
  batchHeader: '/batch_header',
  /** data = signer public key (hex) → the enrolled signer. */
  signer: '/signer',
  /** no data → height, app hash, chain id and counts. */
  status: '/status',
} as const

/** Query result codes (0 = found). */
export const QUERY_CODES = { OK: 0, NOT_FOUND: 404, BAD_REQUEST: 400 } as const

/** A committed batch as `/batch` answers it. */
export type BatchInfo = {
  readonly batchId: string
  readonly root: string
  readonly size: number
  readonly height: number
  readonly txHash: string
  readonly signer: string
  readonly chainId: string
  readonly leafHashes: readonly string[]
}

/** A committed batch as `/batch_header` answers it: its row without the leaf hashes. */
export type BatchHeader = Omit<BatchInfo, 'leafHashes'>

/** An enrolled signer as `/signer` answers it. */
export type SignerInfo = {
  readonly publicKeyHex: string
  readonly role: 'node' | 'admin'
  readonly name: string
  readonly height: number
}

/** `/status`. */
export type LedgerStatus = {
  readonly chainId: string
  readonly height: number
  readonly appHash: string
  readonly records: number
  readonly batches: number
  readonly signers: number
}
