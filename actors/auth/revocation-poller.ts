/**
 * The guard's view of revocations: fetched from the auth actor while
 * requests arrive, at most once per poll interval, one fetch in flight.
 * An unreachable auth actor is logged once per outage, not every poll (it
 * is unplaced while a domain starts).
 */
import type { HostServices } from '../../runtime/index.ts'
import type { DecisionCache } from './decision-cache.ts'
import { refusal } from './refusal.ts'
import type { Revocations, SessionVerifier } from './session-verifier.ts'

export type RevocationPoller = {
  /** Fetches revocations now. */
  refresh(): Promise<void>
  /** Starts a fetch if the last one is a poll interval old. */
  poll(): void
}

export type RevocationPollerOptions = {
  services: HostServices
  sessions: SessionVerifier
  decisions: DecisionCache
  authActor: string
  askTimeoutMs: number
  pollMs: number
}

export function createRevocationPoller(options: RevocationPollerOptions): RevocationPoller {
  const { services, sessions, decisions, authActor, askTimeoutMs, pollMs } = options
  const { clock } = services
  let cursor = { epoch: undefined as string | undefined, seq: 0 }
  let lastPoll = Number.NEGATIVE_INFINITY
  let polling: Promise<void> | undefined
  let reachable = true
  function refresh(): Promise<void> {
    lastPoll = clock.now()
    polling ??= services
      .ask<Revocations & { epoch: string; seq: number }>(
        authActor,
        'auth.revocations',
        { since: cursor.seq, ...(cursor.epoch ? { epoch: cursor.epoch } : {}) },
        { timeoutMs: askTimeoutMs },
      )
      .then(
        (list) => {
          sessions.apply(list)
          for (const { address } of list.addresses) decisions.forget(address)
          cursor = { epoch: list.epoch, seq: list.seq }
          if (!reachable) services.log('auth.revocations_available', {})
          reachable = true
        },
        (error: unknown) => {
          if (reachable) services.log('auth.revocations_unavailable', refusal(error) ?? {})
          reachable = false
        },
      )
      .finally(() => {
        polling = undefined
      })
    return polling
  }
  return {
    refresh,
    poll() {
      if (clock.now() - lastPoll >= pollMs) void refresh()
    },
  }
}
