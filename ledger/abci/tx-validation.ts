/**
 * Deterministic transaction validation, shared by CheckTx and FinalizeBlock;
 * checks run cheapest first. The stateless part (size, decoding, signature,
 * batch shape and root) is a pure function of the bytes and the genesis
 * settings, so CheckTx's verdict is cached by tx hash and reused by
 * FinalizeBlock; the stateful part (enrolment, nonce, taken keys) asks a
 * {@link StateView}, which differs between the check view and the working block.
 */
import { toHex } from '../encoding/hex.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { leafHashesOfBodies } from '../merkle/record-leaf.ts'
import { bytesEqual } from '../merkle/verify-inclusion.ts'
import type { LedgerSettings } from './app-store.ts'
import { decodeLedgerTx, type LedgerTx, txHashOf, verifyLedgerTxSignature } from './ledger-tx.ts'
import { TX_CODES } from './tx-codes.ts'
import { type EnrollmentPayload, MalformedTxError, type RecordBatchPayload } from './tx-payload.ts'

/** Parsed transactions kept between CheckTx and FinalizeBlock (a block rarely holds more). */
const PARSE_CACHE_SIZE = 1024

/** A zstd batch may expand to at most this many times the transaction size limit. */
const PLAIN_EXPANSION = 4

/** A refusal: a vigil tx code, the log that says what to fix, and data (the taken keys). */
type Refusal = { code: number; log: string; data?: Uint8Array | undefined }

/** The stateless verdict on a transaction's bytes (cached by tx hash). */
type Parsed = ({ ok: false } & Refusal) | ParsedTx

/** A transaction that decoded and is signed (its signature may still be wrong). */
export type ParsedTx = {
  ok: true
  tx: LedgerTx
  signatureValid: boolean
  leafHashes: Uint8Array[]
  batchProblem: Refusal | null
  /**
   * The committed height at which CheckTx found none of the keys committed (-1: not yet).
   * While no block commits after that, FinalizeBlock need not look them up again.
   */
  keysFreeAt: number
}

/** What a validation pass needs to know beyond the tx itself. */
export type StateView = {
  settings: LedgerSettings
  role(publicKeyHex: string): 'node' | 'admin' | undefined
  nonceUsed(signer: string, nonce: string): boolean
  /** Which of `keys` are taken, in their order. */
  takenKeys(keys: readonly string[], parsed: ParsedTx): string[]
}

/** The verdict: code 0 with the transaction, or a refusal. */
export type Validation =
  | { code: 0; tx: LedgerTx; txHash: string; leafHashes: Uint8Array[] }
  | Refusal

const encoder = new TextEncoder()

/** Validates transactions against a state view, caching their stateless verdicts. */
export class TxValidator {
  readonly #parsed = new Map<string, Parsed>()

  /** The verdict on `bytes` in `view`. */
  validate(bytes: Uint8Array, view: StateView, txHash = txHashOf(bytes)): Validation {
    const parsed = this.#parse(bytes, txHash, view.settings)
    if (!parsed.ok) return { code: parsed.code, log: parsed.log }
    const { tx } = parsed
    const signer = toHex(tx.signer)
    const role = view.role(signer)
    if (!role) {
      return {
        code: TX_CODES.UNKNOWN_SIGNER,
        log: `signer ${signer} is not enrolled on this ledger; ask an admin to enroll it`,
      }
    }
    if (!parsed.signatureValid) {
      return {
        code: TX_CODES.BAD_SIGNATURE,
        log: `signature does not verify for signer ${signer} on chain ${view.settings.chainId}`,
      }
    }
    if (view.nonceUsed(signer, tx.nonce.toString())) {
      return {
        code: TX_CODES.DUPLICATE,
        log: `nonce ${tx.nonce} of signer ${signer} was already used; use a fresh nonce`,
      }
    }
    if (tx.payload.type === 'enroll') return enrollmentVerdict(tx, tx.payload, txHash, role, view)
    if (parsed.batchProblem) return parsed.batchProblem
    const taken = view.takenKeys(tx.payload.keys, parsed)
    if (taken.length > 0) {
      return {
        code: TX_CODES.KEY_EXISTS,
        log: `record key(s) already written (records are append-only): ${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''}`,
        data: encoder.encode(JSON.stringify(taken)),
      }
    }
    return { code: 0, tx, txHash, leafHashes: parsed.leafHashes }
  }

  /** Drops the cached verdict of a transaction that is now in a block. */
  forget(txHash: string): void {
    this.#parsed.delete(txHash)
  }

  #parse(bytes: Uint8Array, txHash: string, settings: LedgerSettings): Parsed {
    const cached = this.#parsed.get(txHash)
    if (cached) return cached
    const parsed = parseTx(bytes, settings)
    // Only transactions that decode and are signed are kept; refusals are cheap to find again.
    if (!parsed.ok) return parsed
    this.#parsed.set(txHash, parsed)
    if (this.#parsed.size > PARSE_CACHE_SIZE) {
      this.#parsed.delete(this.#parsed.keys().next().value as string)
    }
    return parsed
  }
}

/** Only admins enroll, and only keys not enrolled yet. */
function enrollmentVerdict(
  tx: LedgerTx,
  payload: EnrollmentPayload,
  txHash: string,
  role: 'node' | 'admin',
  view: StateView,
): Validation {
  if (role !== 'admin') {
    return { code: TX_CODES.UNAUTHORIZED, log: 'only admin keys may enroll host keys' }
  }
  const enrolled = toHex(payload.publicKey)
  if (view.role(enrolled)) {
    return { code: TX_CODES.ALREADY_ENROLLED, log: `key ${enrolled} is already enrolled` }
  }
  return { code: 0, tx, txHash, leafHashes: [] }
}

/** The stateless verdict: a pure function of the bytes and the genesis settings. */
function parseTx(bytes: Uint8Array, settings: LedgerSettings): Parsed {
  if (bytes.length > settings.maxTxBytes) {
    return {
      ok: false,
      code: TX_CODES.OVERSIZED,
      log: `transaction is ${bytes.length} bytes; this ledger accepts at most ${settings.maxTxBytes}`,
    }
  }
  let tx: LedgerTx
  try {
    tx = decodeLedgerTx(bytes, { maxPlainBytes: settings.maxTxBytes * PLAIN_EXPANSION })
  } catch (error) {
    const reason = error instanceof MalformedTxError ? error.message : 'undecodable'
    return { ok: false, code: TX_CODES.MALFORMED, log: `malformed transaction: ${reason}` }
  }
  if (!tx.signature) {
    return {
      ok: false,
      code: TX_CODES.UNSIGNED,
      log: 'transaction is not signed; sign it with an enrolled Ed25519 key',
    }
  }
  const signatureValid = verifyLedgerTxSignature(tx, settings.chainId)
  const batch =
    tx.payload.type === 'enroll'
      ? { leafHashes: [], batchProblem: null }
      : checkBatch(tx.payload, settings)
  return { ok: true, tx, signatureValid, ...batch, keysFreeAt: -1 }
}

/** The batch's leaf hashes, or what is wrong with its shape or root. */
function checkBatch(
  payload: RecordBatchPayload,
  settings: LedgerSettings,
): { leafHashes: Uint8Array[]; batchProblem: Refusal | null } {
  const { keys, bodies, root } = payload
  if (keys.length > settings.maxRecordsPerTx) {
    const log = `batch has ${keys.length} records; at most ${settings.maxRecordsPerTx} are allowed`
    return { leafHashes: [], batchProblem: { code: TX_CODES.BAD_BATCH, log } }
  }
  if (new Set(keys).size !== keys.length) {
    const log = 'batch holds the same key twice'
    return { leafHashes: [], batchProblem: { code: TX_CODES.BAD_BATCH, log } }
  }
  const leafHashes = leafHashesOfBodies(bodies)
  if (!bytesEqual(new MerkleTree(leafHashes).root, root)) {
    const log = 'batch root is not the RFC 6962 root of its records'
    return { leafHashes: [], batchProblem: { code: TX_CODES.ROOT_MISMATCH, log } }
  }
  return { leafHashes, batchProblem: null }
}
