/**
 * Transaction confirmation for the CometBFT ledger client. Transactions go
 * out with `broadcast_tx_sync` (CheckTx result only) and are confirmed by one
 * block-events subscription on the active node; `/tx` polling is the fallback
 * (a dropped or missing subscription, a node restart) and fetches the log and
 * data of transactions refused in their block. Never `broadcast_tx_commit`
 * (testing only, capped subscribers).
 */
import type { Clock, TimerHandle } from '../../runtime/index.ts'
import { txHashBytes, txHashOf } from '../abci/ledger-tx.ts'
import { LedgerTimeoutError } from '../errors.ts'
import { type BlockEventsSubscription, subscribeBlockEvents } from './block-events-subscription.ts'
import { broadcastError, broadcastTxSync } from './broadcast-tx-sync.ts'
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
}

type Flight = {
  readonly txHash: string
  readonly sentAt: number
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
    const flight: Flight = {
      txHash,
      sentAt: this.#options.clock.now(),
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
    this.#options.nodes
      .withNode((_client, url) => broadcastTxSync(url, tx))
      .then((answer) => {
        if (answer.code === 0) return this.#schedulePoll()
        flights.delete(txHash)
        const { code, log, data } = answer
        resolve({ height: 0, txHash, code, log, data, stage: 'check' })
      })
      .catch((error: unknown) => flight.fail(broadcastError(error, txHash)))
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
    const { clock, confirmTimeoutMs, pollAfterMs, nodes } = this.#options
    const now = clock.now()
    for (const flight of [...this.#flights.values()]) {
      const age = now - flight.sentAt
      if (age > confirmTimeoutMs) {
        flight.fail(timeoutError(flight.txHash, confirmTimeoutMs))
        continue
      }
      if (age < pollAfterMs && !flight.refused) continue
      try {
        const found = await nodes.withNode((client) =>
          client.tx({ hash: txHashBytes(flight.txHash) }),
        )
        flight.settle(found.height, found.result.code, found.result.log ?? '', found.result.data)
      } catch {
        // Not in a block yet (or no node answered): keep waiting until the deadline.
      }
    }
  }
}

function timeoutError(txHash: string, confirmTimeoutMs: number): LedgerTimeoutError {
  return new LedgerTimeoutError(
    `transaction ${txHash} was not committed within ${confirmTimeoutMs} ms; the network may be stalled (fewer than 2/3 of validators up?)`,
    { meta: { txHash } },
  )
}
