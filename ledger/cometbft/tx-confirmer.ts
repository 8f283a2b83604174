/**
 * Transaction confirmation for the CometBFT ledger client. Transactions go
 * out with `broadcast_tx_sync` (CheckTx result only) and are confirmed by one
 * block-events subscription on the active node; `/tx` polling is the fallback
 * (a dropped or missing subscription, a node restart) and fetches the log and
 * data of transactions refused in their block. Never `broadcast_tx_commit`
 * (testing only, capped subscribers).
 *
 * Validator faults: a mempool is not persisted, so a transaction accepted by
 * a node that stops before gossiping it is gone. While a transaction waits
 * unconfirmed, the confirmer sends the same signed bytes again to the active
 * node once the node it went to no longer is (failover) and every
 * `rebroadcastMs`: idempotent, since the bytes (hash, nonce) are the same and
 * the app commits a (signer, nonce) once; a node that already has it answers
 * "already in cache" or DUPLICATE, and either is ignored. A halted chain (fewer
 * than 2/3 of the validators up) holds transactions until `confirmTimeoutMs`,
 * then fails them with LEDGER_TIMEOUT: never a result without a block.
 */
import type { Clock, TimerHandle } from '../../runtime/index.ts'
import { txHashBytes, txHashOf } from '../abci/ledger-tx.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { LedgerTimeoutError } from '../errors.ts'
import { type BlockEventsSubscription, subscribeBlockEvents } from './block-events-subscription.ts'
import { broadcastError, broadcastTxSync, isAlreadyInCache } from './broadcast-tx-sync.ts'
import type { NodePool } from './node-pool.ts'

/** Longest the client waits for the node to answer its subscription before the first broadcast, ms. */
const SUBSCRIBE_WAIT_MS = 3_000

/** Where a transaction ended: refused by CheckTx (`check`, height 0) or in a block (`block`). */
export type TxResult = {
  readonly height: number
  readonly txHash: string
  readonly code: number
  readonly log: string
  readonly data: Uint8Array | undefined
  readonly stage: 'check' | 'block'
}

export type TxConfirmerOptions = {
  readonly nodes: NodePool
  readonly clock: Clock
  /** Give up on a broadcast transaction after this long, ms → LEDGER_TIMEOUT. */
  readonly confirmTimeoutMs: number
  /** Poll /tx for transactions unconfirmed after this long, ms. */
  readonly pollAfterMs: number
  /** Confirm by polling only, without the WebSocket subscription. */
  readonly pollOnly: boolean
  /** Send an unconfirmed transaction again after this long, ms (and at once after a failover). */
  readonly rebroadcastMs: number
  /**
   * The height a transaction committed at, found another way than its /tx entry (the ledger's
   * batch row), or null. Asked when a block refuses a transaction as DUPLICATE: a copy of one
   * already committed (sent again after a fault) whose refusal the node's index may show instead.
   */
  readonly committedHeight?: ((txHash: string) => Promise<number | null>) | undefined
}

type Flight = {
  readonly txHash: string
  readonly tx: Uint8Array
  readonly sentAt: number
  /** When it was last broadcast, and the node that took it (-1: none yet). */
  lastSentAt: number
  sentTo: number
  /** Set when a block event reported a non-zero code: poll /tx for its log and data at once. */
  refused: boolean
  /** Called with the block height and the tx result once the tx is in a block. */
  settle(height: number, code: number, log: string, data: Uint8Array | undefined): void
  fail(error: unknown): void
}

/** Broadcasts transactions and tells each sender where its transaction ended; start() before the first send(). */
export class TxConfirmer {
  readonly #options: TxConfirmerOptions
  readonly #flights = new Map<string, Flight>()
  #subscription: BlockEventsSubscription | null = null
  /** The node the subscription is on; -1 when there is none. */
  #subscribedIndex = -1
  #pollTimer: TimerHandle | null = null
  #closed = false

  constructor(options: TxConfirmerOptions) {
    this.#options = options
    options.nodes.onActiveChanged(() => void this.#subscribe())
  }

  /** Transactions broadcast and not yet confirmed. */
  get inFlight(): number {
    return this.#flights.size
  }

  /** Subscribes before the first broadcast (bounded: without an answer, polling confirms). */
  async start(): Promise<void> {
    const { clock } = this.#options
    const ready = this.#subscribe()
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, SUBSCRIBE_WAIT_MS)
      void ready.then(() => {
        clock.clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Broadcasts `tx` and resolves with its result once in a block or refused by CheckTx. */
  send(tx: Uint8Array): Promise<TxResult> {
    const txHash = txHashOf(tx)
    const flights = this.#flights
    const { promise, resolve, reject } = Promise.withResolvers<TxResult>()
    const now = this.#options.clock.now()
    const flight: Flight = {
      txHash,
      tx,
      sentAt: now,
      lastSentAt: now,
      sentTo: -1,
      refused: false,
      settle(height, code, log, data) {
        if (!flights.delete(txHash)) return
        resolve({ height, txHash, code, log, data, stage: 'block' })
      },
      fail(error) {
        if (!flights.delete(txHash)) return
        reject(error)
      },
    }
    // Registered before broadcasting, so an early block event is never missed.
    flights.set(txHash, flight)
    const { nodes } = this.#options
    nodes
      .withNode((_client, url) => broadcastTxSync(url, tx))
      .then((answer) => {
        flight.sentTo = nodes.activeIndex
        if (answer.code === 0) return this.#schedulePoll()
        flights.delete(txHash)
        const { code, log, data } = answer
        resolve({ height: 0, txHash, code, log, data, stage: 'check' })
      })
      .catch((error: unknown) => {
        // The same bytes reached a node already (a failover after it took them): keep waiting.
        if (isAlreadyInCache(error)) return this.#schedulePoll()
        flight.fail(broadcastError(error, txHash))
      })
    return promise
  }

  /** Fails every unconfirmed transaction with `error` and stops subscribing and polling. */
  close(error: unknown): void {
    this.#closed = true
    if (this.#pollTimer) this.#options.clock.clearTimeout(this.#pollTimer)
    for (const flight of [...this.#flights.values()]) flight.fail(error)
    this.#subscription?.close()
    this.#subscription = null
  }

  #subscribe(): Promise<void> {
    const { nodes, pollOnly } = this.#options
    if (pollOnly || this.#closed || this.#subscribedIndex === nodes.activeIndex)
      return Promise.resolve()
    this.#subscription?.close()
    this.#subscribedIndex = nodes.activeIndex
    const next = subscribeBlockEvents(nodes.activeUrl, {
      onOutcome: (height, txHash, code) => this.#settleFromEvent(height, txHash, code),
      // Polling keeps confirming, and subscribes again (on the active node) while txs wait.
      onDropped: () => {
        if (this.#subscription === next) this.#subscribedIndex = -1
      },
    })
    this.#subscription = next
    return next.subscribed
  }

  #settleFromEvent(height: number, txHash: string, code: number): void {
    const flight = this.#flights.get(txHash)
    if (!flight) return
    if (code === 0) flight.settle(height, 0, '', undefined)
    else {
      // Refused in the block: its log and data (e.g. the taken keys) come from /tx.
      flight.refused = true
      void this.#poll()
    }
  }

  #schedulePoll(): void {
    if (this.#pollTimer || this.#closed || this.#flights.size === 0) return
    const { clock, pollAfterMs } = this.#options
    this.#pollTimer = clock.setTimeout(
      () => {
        this.#pollTimer = null
        void this.#poll().finally(() => this.#schedulePoll())
      },
      Math.max(50, Math.min(pollAfterMs, 500)),
    )
  }

  async #poll(): Promise<void> {
    // A dropped subscription (node restarted) is made again here, while txs wait.
    if (this.#subscribedIndex === -1) void this.#subscribe()
    const { clock, confirmTimeoutMs, pollAfterMs } = this.#options
    const now = clock.now()
    for (const flight of [...this.#flights.values()]) {
      const age = now - flight.sentAt
      if (age > confirmTimeoutMs) {
        flight.fail(timeoutError(flight.txHash, confirmTimeoutMs))
        continue
      }
      if (age < pollAfterMs && !flight.refused) continue
      if (!(await this.#lookUp(flight))) this.#rebroadcastIfStale(flight)
    }
  }

  /** Settles `flight` from its /tx entry; false while no node has it in a block. */
  async #lookUp(flight: Flight): Promise<boolean> {
    try {
      const found = await this.#options.nodes.withNode((client) =>
        client.tx({ hash: txHashBytes(flight.txHash) }),
      )
      const { code, log, data } = found.result
      if (code === TX_CODES.DUPLICATE && (await this.#settleCommittedCopy(flight))) return true
      flight.settle(found.height, code, log ?? '', data)
      return true
    } catch {
      // Not in a block yet (or no node answered): keep waiting until the deadline.
      return false
    }
  }

  /** Settles `flight` as committed when the ledger holds it at a height (see committedHeight). */
  async #settleCommittedCopy(flight: Flight): Promise<boolean> {
    const height = await this.#options.committedHeight?.(flight.txHash)
    if (height === null || height === undefined) return false
    flight.settle(height, 0, '', undefined)
    return true
  }

  /**
   * Sends `flight`'s bytes again when the node that took them is no longer the active one (it
   * went away, maybe with them in its mempool) or they have waited `rebroadcastMs` since.
   */
  #rebroadcastIfStale(flight: Flight): void {
    const { nodes, clock, rebroadcastMs } = this.#options
    const now = clock.now()
    if (flight.sentTo === nodes.activeIndex && now - flight.lastSentAt < rebroadcastMs) return
    flight.lastSentAt = now
    nodes
      .withNode((_client, url) => broadcastTxSync(url, flight.tx))
      .then(
        () => {
          flight.sentTo = nodes.activeIndex
        },
        // "Already in cache", DUPLICATE (a copy committed) or no node up: the next poll decides.
        () => {},
      )
  }
}

function timeoutError(txHash: string, confirmTimeoutMs: number): LedgerTimeoutError {
  return new LedgerTimeoutError(
    `transaction ${txHash} was not committed within ${confirmTimeoutMs} ms; the network may be stalled (fewer than 2/3 of validators up?). It may still commit: look its records up by key before writing them again`,
    { meta: { txHash } },
  )
}
