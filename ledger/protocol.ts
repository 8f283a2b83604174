/**
 * What the rest of vigil may know about the ledgers (actors import only this
 * file and receipt types from ledger/). Implementations: the CometBFT ledger
 * actor (ledger/cometbft/, intra-domain) and the Ethereum ledger actor
 * (ledger/ethereum/, inter-domain). Every {@link IntraDomainLedger} (the
 * CometBFT client, the ledger actor as actors see it, the in-memory test
 * ledger) runs the suite of ledger.conformance.ts in its test.
 */

/**
 * Kinds of record kept on the intra-domain ledger: the one list (schemas and
 * wire codes derive from it).
 */
export const RECORD_KINDS = [
  'enf_fingerprint',
  'feature_hash',
  'host_enrollment',
  'batch_root',
] as const

/** A kind of record kept on the intra-domain ledger. */
export type RecordKind = (typeof RECORD_KINDS)[number]

/** A record as submitted: append-only, keyed; `data` is canonical bytes (hex) or plain JSON. */
export type LedgerRecord = {
  readonly kind: RecordKind
  /** Unique key; a key once written cannot be rewritten. */
  readonly key: string
  /** Canonical, deterministic encoding of the record's content (lowercase hex, no 0x). */
  readonly dataHex: string
}

/**
 * Proof that a record was committed: its Merkle inclusion proof in a batch
 * (RFC 6962), the batch root, and where the batch landed on the chain.
 * Verifiable offline by a pure function (ledger/merkle/verify-receipt.ts).
 */
export type Receipt = {
  readonly record: LedgerRecord
  /** SHA-256(0x00 ‖ leaf bytes), hex. */
  readonly leafHash: string
  readonly leafIndex: number
  readonly treeSize: number
  /** Sibling hashes from leaf to root, hex. */
  readonly auditPath: readonly string[]
  readonly batchRoot: string
  readonly batchId: string
  readonly chainId: string
  readonly height: number
  readonly txHash: string
}

/** The intra-domain ledger as actors use it (through the ledger actor's protocol). */
export interface IntraDomainLedger {
  /** Commits a record (batched with others) and resolves with its receipt once committed. */
  commit(record: LedgerRecord): Promise<Receipt>
  /** The committed record under `key` with its receipt, or null. */
  get(key: string): Promise<Receipt | null>
}
