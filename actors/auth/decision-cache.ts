/**
 * The gateway's local cache of access-control decisions (what Envoy's
 * ext_authz and OPA sidecars do): one `access.check` per (subject,
 * resource, action) and validity period, never a chain call per request.
 * A decision is kept until the earlier of its own `validUntilMs` and a cap
 * (default 100 ms for grants, 1 s for refusals), so a revocation the
 * access-control actor has seen is enforced here within the cap.
 * Concurrent misses for one key share a single ask.
 */
import type { Clock } from '../../runtime/index.ts'

/** What `access.check` answers (actors/access-control/access-control-protocol.ts). */
export type AccessDecision = {
  readonly allowed: boolean
  readonly code?: string | undefined
  readonly reason?: string | undefined
  readonly validUntilMs: number
  readonly block?: number | undefined
}

export type DecisionCacheOptions = {
  clock: Clock
  check(subject: string, resource: string, action: string): Promise<AccessDecision>
  /** Longest a grant is reused, ms; default 100. */
  maxAllowMs?: number | undefined
  /** Longest a refusal is reused, ms; default 1,000. */
  maxDenyMs?: number | undefined
  /** Entries kept at most; default 100,000. */
  maxEntries?: number | undefined
}

type Entry = { decision: AccessDecision; until: number }

export class DecisionCache {
  readonly #options: DecisionCacheOptions
  readonly #entries = new Map<string, Entry>()
  readonly #pending = new Map<string, Promise<AccessDecision>>()
  /** Asks sent to access-control (misses), for tests and the bench. */
  asks = 0

  constructor(options: DecisionCacheOptions) {
    this.#options = options
  }

  /** The cached decision when still valid, else undefined (the caller then calls {@link decide}). */
  cached(subject: string, resource: string, action: string): AccessDecision | undefined {
    const entry = this.#entries.get(`${subject}\n${resource}\n${action}`)
    return entry && entry.until > this.#options.clock.now() ? entry.decision : undefined
  }

  /** The decision, from the cache or one shared ask. */
  decide(subject: string, resource: string, action: string): Promise<AccessDecision> {
    const key = `${subject}\n${resource}\n${action}`
    const entry = this.#entries.get(key)
    if (entry && entry.until > this.#options.clock.now()) return Promise.resolve(entry.decision)
    let pending = this.#pending.get(key)
    if (!pending) {
      this.asks++
      pending = this.#options.check(subject, resource, action).then(
        (decision) => {
          this.#pending.delete(key)
          this.#store(key, decision)
          return decision
        },
        (error: unknown) => {
          this.#pending.delete(key)
          throw error
        },
      )
      this.#pending.set(key, pending)
    }
    return pending
  }

  /** Forgets every decision about `subject` (e.g. after its sessions were revoked). */
  forget(subject: string): void {
    for (const key of this.#entries.keys())
      if (key.startsWith(`${subject}\n`)) this.#entries.delete(key)
  }

  #store(key: string, decision: AccessDecision): void {
    const now = this.#options.clock.now()
    const cap = decision.allowed
      ? (this.#options.maxAllowMs ?? 100)
      : (this.#options.maxDenyMs ?? 1000)
    const until = Math.min(decision.validUntilMs, now + cap)
    if (until <= now) return
    if (this.#entries.size >= (this.#options.maxEntries ?? 100_000)) {
      for (const [k, e] of this.#entries) if (e.until <= now) this.#entries.delete(k)
      if (this.#entries.size >= (this.#options.maxEntries ?? 100_000)) this.#entries.clear()
    }
    this.#entries.set(key, { decision, until })
  }
}
