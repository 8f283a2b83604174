/**
 * vigil's deterministic ABCI 2.0 ledger application.
 *
 * It keeps append-only records (ENF fingerprints, feature hashes, batch roots,
 * host enrollments), each inside a Merkle batch signed by an enrolled key, and
 * the registry of enrolled keys. Three views of state are kept apart, as ABCI
 * requires: committed (SQLite, what Query reads), check (committed plus the
 * nonces and enrollments CheckTx accepted since, so the mempool refuses a
 * replayed nonce early) and the working block (between FinalizeBlock and
 * Commit, written to SQLite in Commit). Record keys are checked against
 * committed state in CheckTx; two pending transactions writing the same key
 * are settled by their block, which commits the first and refuses the other
 * with KEY_EXISTS (a per-key pending set cost ~10 % of the app's CPU under
 * load, for conflicts that only clients racing on one key produce).
 *
 * Determinism: every validator derives the same app hash from the same block.
 * The app hash is a running hash, `H("vigil.apphash.v1" ‖ previous ‖ height ‖
 * MTH(change digests))`, over the hashes of the transactions that changed
 * state; a block without changes keeps the previous hash (so
 * create_empty_blocks=false networks go quiet). No wall clock, randomness,
 * map order or JSON enters the hash.
 */
import {
  CheckTxType,
  type ExecTxResult,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestQuery,
  type ResponseCheckTx,
  ResponseProcessProposal_ProposalStatus,
  type ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types'
import { fromHex, toHex } from '../encoding/hex.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { leafHashesOfBodies } from '../merkle/record-leaf.ts'
import { hashLeaf, sha256 } from '../merkle/rfc6962-hash.ts'
import { bytesEqual } from '../merkle/verify-inclusion.ts'
import type { Receipt } from '../protocol.ts'
import type { AbciApplication } from './abci-application.ts'
import {
  type AppStore,
  type BatchRow,
  type BatchWrite,
  type BlockChanges,
  type LedgerSettings,
  leafHashesOf,
  type SignerRow,
} from './app-store.ts'
import { genesisAppStateSchema } from './genesis-app-state.ts'
import {
  decodeLedgerTx,
  type LedgerTx,
  MalformedTxError,
  txHashOf,
  verifyLedgerTxSignature,
} from './ledger-tx.ts'
import {
  type BatchInfo,
  type LedgerStatus,
  QUERY_CODES,
  QUERY_PATHS,
  type SignerInfo,
} from './query-paths.ts'
import { TX_CODES, TX_CODESPACE, TX_OUTCOME_EVENT } from './tx-codes.ts'

const encoder = new TextEncoder()
const APP_HASH_TAG = encoder.encode('vigil.apphash.v1')
const CHANGE_TAG = encoder.encode('vigil.change.v1')
const GENESIS_TAG = encoder.encode('vigil.genesis.v1')

/** What a validation pass needs to know beyond the tx itself. */
type StateView = {
  settings: LedgerSettings
  role(publicKeyHex: string): 'node' | 'admin' | undefined
  nonceUsed(signer: string, nonce: string): boolean
  /** Which of `keys` are taken, in their order. */
  takenKeys(keys: readonly string[], parsed: ParsedTx): string[]
}

/** Pending changes layered over the committed state (record keys: the working block only). */
class Overlay {
  readonly keys = new Set<string>()
  readonly nonces = new Set<string>()
  readonly signers = new Map<string, 'node' | 'admin'>()
}

/** The stateless verdict on a transaction's bytes (cached by tx hash). */
type Parsed =
  | { ok: false; code: number; log: string }
  | {
      ok: true
      tx: LedgerTx
      signatureValid: boolean
      leafHashes: Uint8Array[]
      batchProblem: { code: number; log: string } | null
      /**
       * The committed height at which CheckTx found none of the keys committed (-1: not yet).
       * While no block commits after that, FinalizeBlock need not look them up again.
       */
      keysFreeAt: number
    }

type ParsedTx = Extract<Parsed, { ok: true }>

/** Parsed transactions kept between CheckTx and FinalizeBlock (a block rarely holds more). */
const PARSE_CACHE_SIZE = 1024

/** A zstd batch may expand to at most this many times the transaction size limit. */
const PLAIN_EXPANSION = 4

type Validation =
  | { code: 0; tx: LedgerTx; txHash: string; leafHashes: Uint8Array[] }
  | { code: number; log: string; data?: Uint8Array | undefined }

/** The app; pass it to createAbciServer. */
export class LedgerApp implements AbciApplication {
  readonly #store: AppStore
  #settings: LedgerSettings | null
  #committedHeight: number
  #committedAppHash: Uint8Array
  readonly #roles = new Map<string, 'node' | 'admin'>()
  /** Genesis rows from InitChain, persisted with the first Commit. */
  #genesis: { settings: LedgerSettings; signers: SignerRow[] } | null = null
  /** Check view: entries added by CheckTx, dropped once a block containing their tx commits. */
  readonly #check = new Overlay()
  readonly #checkByTx = new Map<string, { nonce: string; enrolled?: string }>()
  #working: { changes: BlockChanges; txHashes: string[] } | null = null
  readonly #parsed = new Map<string, Parsed>()

  constructor(store: AppStore) {
    this.#store = store
    const committed = store.committed()
    this.#settings = committed.settings
    this.#committedHeight = committed.height
    this.#committedAppHash = committed.appHash
    for (const signer of store.allSigners()) this.#roles.set(signer.publicKeyHex, signer.role)
  }

  info() {
    return {
      data: 'vigil-ledger',
      version: '1.0.0',
      appVersion: 1n,
      lastBlockHeight: BigInt(this.#committedHeight),
      lastBlockAppHash: this.#committedHeight === 0 ? new Uint8Array() : this.#committedAppHash,
    }
  }

  initChain(request: RequestInitChain) {
    const appState = genesisAppStateSchema.parse(
      JSON.parse(new TextDecoder().decode(request.appStateBytes) || '{}'),
    )
    const settings: LedgerSettings = {
      chainId: request.chainId,
      maxTxBytes: appState.maxTxBytes,
      maxRecordsPerTx: appState.maxRecordsPerTx,
    }
    const sorted = [...appState.signers].sort((a, b) => (a.publicKeyHex < b.publicKeyHex ? -1 : 1))
    const rows: SignerRow[] = sorted.map((s) => ({ ...s, height: 0, enrolledBy: '' }))
    if (!rows.some((row) => row.role === 'admin'))
      throw new Error('genesis app_state enrolls no admin key')
    this.#settings = settings
    this.#roles.clear()
    for (const row of rows) this.#roles.set(row.publicKeyHex, row.role)
    this.#genesis = { settings, signers: rows }
    // Genesis app hash: a canonical binary digest of the settings and the sorted signer set.
    const parts: Uint8Array[] = [
      GENESIS_TAG,
      lengthPrefixed(encoder.encode(settings.chainId)),
      u64(settings.maxTxBytes),
      u64(settings.maxRecordsPerTx),
    ]
    for (const row of rows) {
      parts.push(
        fromHex(row.publicKeyHex),
        new Uint8Array([row.role === 'admin' ? 2 : 1]),
        lengthPrefixed(encoder.encode(row.name)),
      )
    }
    this.#committedAppHash = sha256(...parts)
    this.#committedHeight = 0
    return { appHash: this.#committedAppHash }
  }

  checkTx(request: RequestCheckTx): Partial<ResponseCheckTx> {
    const recheck = request.type === CheckTxType.RECHECK
    const result = this.#validate(request.tx, this.#checkView(!recheck))
    if (result.code !== 0 || !('tx' in result)) {
      const failed = result as { code: number; log: string; data?: Uint8Array }
      return {
        code: failed.code,
        log: failed.log,
        codespace: TX_CODESPACE,
        data: failed.data ?? new Uint8Array(),
      }
    }
    if (!recheck) {
      const entry = this.#overlayEntry(result.tx)
      this.#check.nonces.add(entry.nonce)
      if (entry.enrolled && result.tx.payload.type === 'enroll')
        this.#check.signers.set(entry.enrolled, result.tx.payload.role)
      this.#checkByTx.set(result.txHash, entry)
    }
    return { code: TX_CODES.OK, gasWanted: 1n, gasUsed: 1n }
  }

  prepareProposal(request: RequestPrepareProposal) {
    // Keep the mempool's order; stop before the total exceeds max_tx_bytes (a larger proposal crashes the node).
    const txs: Uint8Array[] = []
    let total = 0n
    for (const tx of request.txs) {
      const size = BigInt(tx.length)
      if (total + size > request.maxTxBytes) break
      total += size
      txs.push(tx)
    }
    return { txs }
  }

  processProposal() {
    // Invalid txs are answered with error codes in FinalizeBlock instead; rejecting blocks costs liveness.
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT }
  }

  finalizeBlock(request: RequestFinalizeBlock) {
    const height = Number(request.height)
    const block = new Overlay()
    const changes: BlockChanges = {
      height,
      appHash: this.#committedAppHash,
      settings: this.#genesis?.settings,
      signers: this.#genesis ? [...this.#genesis.signers] : [],
      batches: [],
      nonces: [],
    }
    const settings = this.#requireSettings()
    const view: StateView = {
      settings,
      role: (key) => block.signers.get(key) ?? this.#roles.get(key),
      nonceUsed: (signer, nonce) =>
        block.nonces.has(`${signer}:${nonce}`) || this.#store.nonceUsed(signer, nonce),
      takenKeys: (keys, parsed) => {
        const taken: string[] = []
        // Checked against this very committed state in CheckTx: only this block can conflict.
        const committedChecked = parsed.keysFreeAt === this.#committedHeight
        for (const key of keys) {
          if (block.keys.has(key) || (!committedChecked && this.#store.hasKey(key))) taken.push(key)
        }
        return taken
      },
    }
    const digests: Uint8Array[] = []
    const txHashes: string[] = []
    const txResults: Partial<ExecTxResult>[] = request.txs.map((bytes) => {
      const txHash = txHashOf(bytes)
      txHashes.push(txHash)
      const result = this.#validate(bytes, view, txHash)
      if (!('tx' in result)) {
        return {
          code: result.code,
          log: result.log,
          codespace: TX_CODESPACE,
          data: result.data ?? new Uint8Array(),
        }
      }
      const { tx } = result
      const signer = toHex(tx.signer)
      const nonce = tx.nonce.toString()
      block.nonces.add(`${signer}:${nonce}`)
      changes.nonces.push({ signer, nonce })
      digests.push(hashLeaf(sha256(CHANGE_TAG, fromHex(txHash.toLowerCase()))))
      if (tx.payload.type === 'enroll') {
        const publicKeyHex = toHex(tx.payload.publicKey)
        block.signers.set(publicKeyHex, tx.payload.role)
        changes.signers.push({
          publicKeyHex,
          role: tx.payload.role,
          name: tx.payload.name,
          height,
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
      const batchId = txHash.toLowerCase()
      const { keys } = tx.payload
      for (const key of keys) block.keys.add(key)
      const stored = tx.payloadBytes
      const batch: BatchWrite = {
        row: {
          batchId,
          root: toHex(tx.payload.root),
          size: keys.length,
          height,
          txHash,
          signer,
          records: Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength),
        },
        keys,
      }
      changes.batches.push(batch)
      return {
        code: 0,
        data: tx.payload.root,
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
    })
    const appHash =
      digests.length === 0
        ? this.#committedAppHash
        : sha256(APP_HASH_TAG, this.#committedAppHash, u64(height), new MerkleTree(digests).root)
    this.#working = { changes: { ...changes, appHash }, txHashes }
    // One small block-level event per tx (hash, code): clients confirm their txs from the
    // NewBlockEvents stream instead of a Tx event that carries every transaction's bytes.
    const events = txHashes.map((hash, i) => ({
      type: TX_OUTCOME_EVENT,
      attributes: [
        { key: 'hash', value: hash, index: false },
        { key: 'code', value: String(txResults[i]?.code ?? 0), index: false },
      ],
    }))
    return { txResults: txResults as ExecTxResult[], appHash, events }
  }

  commit() {
    const working = this.#working
    if (!working) throw new Error('Commit without FinalizeBlock')
    this.#store.commitBlock(working.changes)
    this.#committedHeight = working.changes.height
    this.#committedAppHash = working.changes.appHash
    for (const signer of working.changes.signers) this.#roles.set(signer.publicKeyHex, signer.role)
    this.#genesis = null
    this.#working = null
    // The check view forgets txs that are now in a block (committed or refused there).
    for (const hash of working.txHashes) {
      this.#parsed.delete(hash)
      const entry = this.#checkByTx.get(hash)
      if (!entry) continue
      this.#checkByTx.delete(hash)
      this.#check.nonces.delete(entry.nonce)
      if (entry.enrolled) this.#check.signers.delete(entry.enrolled)
    }
    return { retainHeight: 0n }
  }

  query(request: RequestQuery): Partial<ResponseQuery> {
    const height = BigInt(this.#committedHeight)
    const found = (value: unknown): Partial<ResponseQuery> => ({
      code: QUERY_CODES.OK,
      value: encoder.encode(JSON.stringify(value)),
      key: request.data,
      height,
    })
    const notFound = (what: string): Partial<ResponseQuery> => ({
      code: QUERY_CODES.NOT_FOUND,
      log: `${what} not found`,
      key: request.data,
      height,
    })
    const text = new TextDecoder().decode(request.data)
    switch (request.path) {
      case QUERY_PATHS.record: {
        const receipt = this.receiptOf(text)
        return receipt ? found(receipt) : notFound(`record '${text}'`)
      }
      case QUERY_PATHS.batch: {
        const batch = this.#store.batch(text.toLowerCase())
        return batch ? found(this.#batchInfo(batch)) : notFound(`batch '${text}'`)
      }
      case QUERY_PATHS.signer: {
        const signer = this.#store.signer(text.toLowerCase())
        if (!signer) return notFound(`signer '${text}'`)
        const info: SignerInfo = {
          publicKeyHex: signer.publicKeyHex,
          role: signer.role,
          name: signer.name,
          height: signer.height,
        }
        return found(info)
      }
      case QUERY_PATHS.status: {
        const status: LedgerStatus = {
          chainId: this.#settings?.chainId ?? '',
          height: this.#committedHeight,
          appHash: toHex(this.#committedAppHash),
          ...this.#store.counts(),
        }
        return found(status)
      }
      default:
        return {
          code: QUERY_CODES.BAD_REQUEST,
          log: `unknown query path '${request.path}'; use one of ${Object.values(QUERY_PATHS).join(', ')}`,
          height,
        }
    }
  }

  /** The committed record under `key` with its inclusion proof, or null. */
  receiptOf(key: string): Receipt | null {
    const found = this.#store.record(key)
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
      chainId: this.#settings?.chainId ?? '',
      height: batch.height,
      txHash: batch.txHash,
    }
  }

  /** Last committed height and app hash (tests, status). */
  get committed(): { height: number; appHash: string } {
    return { height: this.#committedHeight, appHash: toHex(this.#committedAppHash) }
  }

  #batchInfo(batch: BatchRow): BatchInfo {
    return {
      batchId: batch.batchId,
      root: batch.root,
      size: batch.size,
      height: batch.height,
      txHash: batch.txHash,
      signer: batch.signer,
      chainId: this.#settings?.chainId ?? '',
      leafHashes: leafHashesOf(batch).map(toHex),
    }
  }

  #requireSettings(): LedgerSettings {
    if (!this.#settings) throw new Error('ledger has no settings: InitChain never ran')
    return this.#settings
  }

  #checkView(includePending: boolean): StateView {
    const settings = this.#requireSettings()
    return {
      settings,
      role: (key) =>
        (includePending ? this.#check.signers.get(key) : undefined) ?? this.#roles.get(key),
      nonceUsed: (signer, nonce) =>
        (includePending && this.#check.nonces.has(`${signer}:${nonce}`)) ||
        this.#store.nonceUsed(signer, nonce),
      takenKeys: (keys, parsed) => {
        const taken: string[] = []
        for (const key of keys) if (this.#store.hasKey(key)) taken.push(key)
        if (taken.length === 0) parsed.keysFreeAt = this.#committedHeight
        return taken
      },
    }
  }

  #overlayEntry(tx: LedgerTx): { nonce: string; enrolled?: string } {
    const nonce = `${toHex(tx.signer)}:${tx.nonce}`
    if (tx.payload.type === 'records') return { nonce }
    return { nonce, enrolled: toHex(tx.payload.publicKey) }
  }

  /** Deterministic validation, shared by CheckTx and FinalizeBlock; checks run cheapest first. */
  /**
   * The stateless part of validation: a pure function of the bytes and the
   * genesis settings, so CheckTx's answer is reused by FinalizeBlock.
   */
  #parse(bytes: Uint8Array, txHash: string, settings: LedgerSettings): Parsed {
    const cached = this.#parsed.get(txHash)
    if (cached) return cached
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
    if (tx.payload.type === 'enroll') {
      return { ok: true, tx, signatureValid, leafHashes: [], batchProblem: null, keysFreeAt: -1 }
    }
    const { keys, bodies, root } = tx.payload
    let batchProblem: { code: number; log: string } | null = null
    let leafHashes: Uint8Array[] = []
    if (keys.length > settings.maxRecordsPerTx) {
      batchProblem = {
        code: TX_CODES.BAD_BATCH,
        log: `batch has ${keys.length} records; at most ${settings.maxRecordsPerTx} are allowed`,
      }
    } else if (new Set(keys).size !== keys.length) {
      batchProblem = { code: TX_CODES.BAD_BATCH, log: 'batch holds the same key twice' }
    } else {
      leafHashes = leafHashesOfBodies(bodies)
      if (!bytesEqual(new MerkleTree(leafHashes).root, root)) {
        batchProblem = {
          code: TX_CODES.ROOT_MISMATCH,
          log: 'batch root is not the RFC 6962 root of its records',
        }
      }
    }
    const parsed: Parsed = {
      ok: true,
      tx,
      signatureValid,
      leafHashes,
      batchProblem,
      keysFreeAt: -1,
    }
    this.#parsed.set(txHash, parsed)
    if (this.#parsed.size > PARSE_CACHE_SIZE) {
      this.#parsed.delete(this.#parsed.keys().next().value as string)
    }
    return parsed
  }

  /** Deterministic validation, shared by CheckTx and FinalizeBlock; checks run cheapest first. */
  #validate(bytes: Uint8Array, view: StateView, txHash = txHashOf(bytes)): Validation {
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
    if (tx.payload.type === 'enroll') {
      if (role !== 'admin') {
        return { code: TX_CODES.UNAUTHORIZED, log: 'only admin keys may enroll host keys' }
      }
      const enrolled = toHex(tx.payload.publicKey)
      if (view.role(enrolled)) {
        return { code: TX_CODES.ALREADY_ENROLLED, log: `key ${enrolled} is already enrolled` }
      }
      return { code: 0, tx, txHash, leafHashes: [] }
    }
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
}

function u64(value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length)
  new DataView(out.buffer).setUint32(0, bytes.length)
  out.set(bytes, 4)
  return out
}
