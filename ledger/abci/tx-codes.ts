/**
 * Result codes of CheckTx and FinalizeBlock for vigil ledger transactions
 * (codespace `vigil`). Each rejection has its own code and a log that says
 * why; clients map a non-zero code to LEDGER_TX_REJECTED with `meta.code`.
 * Codes are part of the protocol: never renumber.
 */
export const TX_CODES = {
  OK: 0,
  /** Not a well-formed vigil transaction (bad magic, truncated, unknown payload type, bad record). */
  MALFORMED: 1,
  /** The envelope carries no signature. */
  UNSIGNED: 2,
  /** The signer key is not enrolled on this ledger. */
  UNKNOWN_SIGNER: 3,
  /** The signature does not verify for this chain, signer, nonce and payload. */
  BAD_SIGNATURE: 4,
  /** Larger than the ledger's `maxTxBytes`. */
  OVERSIZED: 5,
  /** The (signer, nonce) pair was used before: a replay. */
  DUPLICATE: 6,
  /** A record key is already written (records are append-only); `data` lists the keys as JSON. */
  KEY_EXISTS: 7,
  /** The signer's role may not do this (only admins enroll keys). */
  UNAUTHORIZED: 8,
  /** The batch's claimed Merkle root differs from the root of its records. */
  ROOT_MISMATCH: 9,
  /** The key to enroll is already enrolled. */
  ALREADY_ENROLLED: 10,
  /** More records than the ledger's `maxRecordsPerTx`, or the same key twice in one batch. */
  BAD_BATCH: 11,
} as const

export type TxCode = (typeof TX_CODES)[keyof typeof TX_CODES]

/** The code's name, e.g. `KEY_EXISTS`, for messages. */
export function txCodeName(code: number): string {
  return Object.entries(TX_CODES).find(([, value]) => value === code)?.[0] ?? `CODE_${code}`
}

/** Codespace of all vigil codes. */
export const TX_CODESPACE = 'vigil'

/**
 * Block-level FinalizeBlock event the app emits once per transaction in the
 * block, with attributes `hash` (CometBFT tx hash, uppercase hex) and `code`;
 * clients subscribe to `tm.event='NewBlockEvents'` to confirm their txs.
 */
export const TX_OUTCOME_EVENT = 'vigil_tx'
