/**
 * The integrity actor's private store of the receipts it recorded: with one
 * ledger entry per call, the ledger can no longer be asked by record key, so
 * `integrity.verify` without a receipt (and `integrity.receipt` from another
 * host) looks here first. Kept in memory, bounded by records (the oldest
 * calls go first); the fog database keeps every ingested receipt durably.
 * Per call only its leaves (32 bytes a record), the ledger receipt of its
 * entry and, per record, its hash: the call tree is rebuilt on a lookup.
 */
import { MerkleTree, type Receipt } from '../../ledger/index.ts'
import type { IntegrityReceipt } from './integrity-receipt.ts'
import type { IntegrityRecord } from './integrity-record.ts'

type Call = {
  readonly leaves: readonly Uint8Array[]
  readonly root: string
  readonly ledger: Receipt
  readonly refs: readonly string[]
  tree?: MerkleTree
}

const refOf = (table: string, id: string) => `${table}/${id}`

export class RecordedCalls {
  readonly #limit: number
  readonly #calls: Call[] = []
  readonly #byRef = new Map<string, { call: Call; index: number; hash: string }>()
  #records = 0

  /** Keeps the receipts of at most `limit` records. */
  constructor(limit: number) {
    this.#limit = limit
  }

  /** Keeps one committed call (its records, their hashes, the call tree, the entry's receipt). */
  add(
    records: readonly IntegrityRecord[],
    hashes: readonly string[],
    tree: MerkleTree,
    ledger: Receipt,
  ): void {
    if (this.#limit === 0) return
    const leaves: Uint8Array[] = new Array(tree.size)
    for (let i = 0; i < tree.size; i++) leaves[i] = tree.leaf(i)
    const refs = records.map((record) => refOf(record.table, record.id))
    const call: Call = { leaves, root: Buffer.from(tree.root).toString('hex'), ledger, refs }
    this.#calls.push(call)
    refs.forEach((ref, index) => {
      this.#byRef.set(ref, { call, index, hash: hashes[index] as string })
    })
    this.#records += refs.length
    while (this.#records > this.#limit && this.#calls.length > 1) this.#evictOldest()
  }

  /** The receipt of a record recorded here, or null. */
  find(table: string, id: string): IntegrityReceipt | null {
    const held = this.#byRef.get(refOf(table, id))
    if (!held) return null
    const { call, index, hash } = held
    call.tree ??= new MerkleTree(call.leaves)
    return {
      recordHash: hash,
      call: {
        root: call.root,
        index,
        size: call.leaves.length,
        path: call.tree.auditPathHex(index),
      },
      ledger: call.ledger,
    }
  }

  #evictOldest(): void {
    const oldest = this.#calls.shift() as Call
    for (const ref of oldest.refs) {
      if (this.#byRef.get(ref)?.call === oldest) this.#byRef.delete(ref)
    }
    this.#records -= oldest.refs.length
  }
}
