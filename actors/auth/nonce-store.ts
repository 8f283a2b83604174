/**
 * Single-use nonces that expire. The auth actor `issue`s sign-in nonces and
 * `consume`s each once; RFC 9421 verifiers `remember` signer-chosen nonces
 * until the end of their acceptance window and refuse any seen before.
 * Bounded: when full, expired entries are swept (at most once per second);
 * if it is still full, `issue` drops the oldest issued nonces (those
 * sign-ins fail, nothing is let through) and `remember` refuses (a replay
 * must never pass because its first use was forgotten).
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../runtime/index.ts'

export type NonceStoreOptions = {
  clock: Clock
  /** How long an issued nonce stays valid, ms. */
  ttlMs: number
  /** Entries kept at most; default 500,000. */
  maxEntries?: number | undefined
}

export class NonceStore {
  readonly #options: NonceStoreOptions
  readonly #expiry = new Map<string, number>()
  #lastSweep = Number.NEGATIVE_INFINITY

  constructor(options: NonceStoreOptions) {
    this.#options = options
  }

  /** A fresh 128-bit nonce (hex: alphanumeric, as EIP-4361 requires) and when it expires. */
  issue(): { nonce: string; expiresAtMs: number } {
    const nonce = randomBytes(16).toString('hex')
    const expiresAtMs = this.#options.clock.now() + this.#options.ttlMs
    if (!this.#room()) {
      // Issued nonces expire in insertion order: drop the oldest.
      const oldest = this.#expiry.keys().next()
      if (!oldest.done) this.#expiry.delete(oldest.value)
    }
    this.#expiry.set(nonce, expiresAtMs)
    return { nonce, expiresAtMs }
  }

  /** True once for a nonce this store issued and that has not expired; false after. */
  consume(nonce: string): boolean {
    const expiresAt = this.#expiry.get(nonce)
    if (expiresAt === undefined) return false
    this.#expiry.delete(nonce)
    return expiresAt > this.#options.clock.now()
  }

  /** Records a signer's nonce until `untilMs`; false when seen before (or the store is full). */
  remember(nonce: string, untilMs: number): boolean {
    const expiresAt = this.#expiry.get(nonce)
    if (expiresAt !== undefined && expiresAt > this.#options.clock.now()) return false
    if (expiresAt === undefined && !this.#room()) return false
    this.#expiry.set(nonce, untilMs)
    return true
  }

  get size(): number {
    return this.#expiry.size
  }

  #room(): boolean {
    const max = this.#options.maxEntries ?? 500_000
    if (this.#expiry.size < max) return true
    const now = this.#options.clock.now()
    if (now - this.#lastSweep >= 1000) {
      this.#lastSweep = now
      for (const [key, at] of this.#expiry) if (at <= now) this.#expiry.delete(key)
    }
    return this.#expiry.size < max
  }
}
