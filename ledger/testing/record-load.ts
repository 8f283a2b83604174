/**
 * An open-loop record load for fault runs: offers records to a ledger client
 * at a fixed rate (on the clock, whatever the ledger answers) and books every
 * outcome: the receipts (acknowledged), the typed failures (a vigil error with
 * a code) and anything else (untyped: a defect).
 */
import { BaseError } from '../../runtime/index.ts'
import type { LedgerRecord, Receipt } from '../index.ts'

/** The client side the load needs. */
export type RecordSink = { commit(record: LedgerRecord): Promise<Receipt> }

/** An acknowledged record: its receipt and when it came back (performance.now() ms). */
export type Acknowledged = { readonly receipt: Receipt; readonly at: number }

/** A record whose commit failed, and the error code (or 'untyped'). */
export type Failed = { readonly record: LedgerRecord; readonly code: string; readonly at: number }

/** Offers records at `recordsPerS` until stopped; see {@link RecordLoad.settled}. */
export class RecordLoad {
  readonly acknowledged: Acknowledged[] = []
  readonly failed: Failed[] = []
  /** The first error message seen per failure code (for reports). */
  readonly firstErrors = new Map<string, string>()
  readonly #sink: RecordSink
  readonly #recordsPerS: number
  readonly #prefix: string
  #offered = 0
  #settledCount = 0
  #timer: ReturnType<typeof setInterval> | null = null
  #started = 0
  #allSettled = Promise.withResolvers<void>()

  constructor(sink: RecordSink, recordsPerS: number, prefix: string) {
    this.#sink = sink
    this.#recordsPerS = recordsPerS
    this.#prefix = prefix
  }

  get offered(): number {
    return this.#offered
  }

  /** Records offered and not yet acknowledged or failed. */
  get outstanding(): number {
    return this.#offered - this.#settledCount
  }

  /** Starts offering, in 5 ms ticks. */
  start(): void {
    this.#started = performance.now()
    this.#timer = setInterval(() => this.#tick(), 5)
  }

  /** Stops offering; resolves once every offered record is acknowledged or failed. */
  async stop(): Promise<void> {
    this.stopOffering()
    if (this.outstanding === 0) return
    await this.#allSettled.promise
  }

  /** Stops offering at once (outcomes of offered records are still booked). */
  stopOffering(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  /** Acknowledged records whose batch is in a block above `height`. */
  acknowledgedAbove(height: number): number {
    let count = 0
    for (const ack of this.acknowledged) if (ack.receipt.height > height) count++
    return count
  }

  /** When the first record committed above `height` was acknowledged, or null. */
  firstAcknowledgedAbove(height: number, after = 0): number | null {
    for (const ack of this.acknowledged)
      if (ack.receipt.height > height && ack.at >= after) return ack.at
    return null
  }

  #tick(): void {
    const due = Math.floor(((performance.now() - this.#started) / 1000) * this.#recordsPerS)
    for (; this.#offered < due; this.#offered++) this.#offer(this.#record(this.#offered))
  }

  #record(i: number): LedgerRecord {
    const dataHex = Bun.SHA256.hash(`${this.#prefix}/${i}`, 'hex')
    return { kind: 'feature_hash', key: `${this.#prefix}/cam-${i % 16}/${i}`, dataHex }
  }

  #offer(record: LedgerRecord): void {
    this.#sink.commit(record).then(
      (receipt) => {
        this.acknowledged.push({ receipt, at: performance.now() })
        this.#settle()
      },
      (error: unknown) => {
        const code = error instanceof BaseError ? error.code : 'untyped'
        this.failed.push({ record, code, at: performance.now() })
        if (!this.firstErrors.has(code))
          this.firstErrors.set(
            code,
            `at ${Math.round(performance.now() - this.#started)} ms: ${error}`,
          )
        this.#settle()
      },
    )
  }

  #settle(): void {
    this.#settledCount++
    if (this.#timer === null && this.outstanding === 0) this.#allSettled.resolve()
  }
}
