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
 * Validation is in tx-validation.ts, a block's writes in apply-tx.ts,
 * queries in ledger-query.ts, the app
 * hash (deterministic: every validator derives the same one from the same
 * block) in app-hash.ts.
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
import { toHex } from '../encoding/hex.ts'
import type { AbciApplication } from './abci-application.ts'
import { genesisAppHash, nextAppHash } from './app-hash.ts'
import type { AppStore, BlockChanges, LedgerSettings, SignerRow } from './app-store.ts'
import { type Accepted, applyTx, type BlockInProgress, Overlay } from './apply-tx.ts'
import { genesisAppStateSchema } from './genesis-app-state.ts'
import { answerQuery } from './ledger-query.ts'
import { type LedgerTx, txHashOf } from './ledger-tx.ts'
import { TX_CODES, TX_CODESPACE, TX_OUTCOME_EVENT } from './tx-codes.ts'
import { type StateView, TxValidator, type Validation } from './tx-validation.ts'

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
  readonly #validator = new TxValidator()

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
    const appState = parseGenesisAppState(request.appStateBytes)
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
    // Genesis app hash over the settings and the sorted signer set.
    this.#committedAppHash = genesisAppHash(settings, rows)
    this.#committedHeight = 0
    return { appHash: this.#committedAppHash }
  }

  checkTx(request: RequestCheckTx): Partial<ResponseCheckTx> {
    const recheck = request.type === CheckTxType.RECHECK
    const result = this.#validator.validate(request.tx, this.#checkView(!recheck))
    if (!('tx' in result)) return refusalResult(result)
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
    const block: BlockInProgress = {
      height,
      overlay: new Overlay(),
      changes: {
        height,
        appHash: this.#committedAppHash,
        settings: this.#genesis?.settings,
        signers: this.#genesis ? [...this.#genesis.signers] : [],
        batches: [],
        nonces: [],
      },
      digests: [],
    }
    const view = this.#blockView(block.overlay)
    const txHashes: string[] = []
    const txResults: Partial<ExecTxResult>[] = request.txs.map((bytes) => {
      const txHash = txHashOf(bytes)
      txHashes.push(txHash)
      const result = this.#validator.validate(bytes, view, txHash)
      return 'tx' in result ? applyTx(result, block) : refusalResult(result)
    })
    const appHash = nextAppHash(this.#committedAppHash, height, block.digests)
    this.#working = { changes: { ...block.changes, appHash }, txHashes }
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
      this.#validator.forget(hash)
      const entry = this.#checkByTx.get(hash)
      if (!entry) continue
      this.#checkByTx.delete(hash)
      this.#check.nonces.delete(entry.nonce)
      if (entry.enrolled) this.#check.signers.delete(entry.enrolled)
    }
    return { retainHeight: 0n }
  }

  query(request: RequestQuery): Partial<ResponseQuery> {
    return answerQuery(request, {
      store: this.#store,
      chainId: this.#settings?.chainId ?? '',
      height: this.#committedHeight,
      appHash: this.#committedAppHash,
    })
  }

  /** Last committed height and app hash (tests, status). */
  get committed(): { height: number; appHash: string } {
    return { height: this.#committedHeight, appHash: toHex(this.#committedAppHash) }
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

  /** The working block's view: this block's changes over committed state. */
  #blockView(block: Overlay): StateView {
    return {
      settings: this.#requireSettings(),
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
  }

  #overlayEntry(tx: LedgerTx): { nonce: string; enrolled?: string } {
    const nonce = `${toHex(tx.signer)}:${tx.nonce}`
    if (tx.payload.type === 'records') return { nonce }
    return { nonce, enrolled: toHex(tx.payload.publicKey) }
  }
}

/** The genesis `app_state`; throws an Error that says which part of it is wrong. */
function parseGenesisAppState(bytes: Uint8Array) {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes) || '{}')
  } catch (error) {
    throw new Error(`genesis app_state is not JSON: ${(error as Error).message}`)
  }
  const parsed = genesisAppStateSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new Error(
    `genesis app_state is invalid at '${issue?.path.join('.') || '(root)'}': ${issue?.message}`,
  )
}

/** The CheckTx/ExecTxResult fields of a refused transaction. */
function refusalResult(refusal: Exclude<Validation, Accepted>) {
  return {
    code: refusal.code,
    log: refusal.log,
    codespace: TX_CODESPACE,
    data: refusal.data ?? new Uint8Array(),
  }
}
