/** The consensus timeouts a localnet's validators run with. */

/** Consensus timeouts of every validator (identical on all, as ADR-074 asks). */
export type LocalnetTimeouts = {
  /** timeout_propose, ms (default 400). Keep above the app's PrepareProposal time. */
  readonly proposeMs: number
  /** timeout_propose_delta, ms per round (default 100). */
  readonly proposeDeltaMs: number
  /** timeout_prevote and timeout_precommit, ms (default 100). */
  readonly voteMs: number
  /** timeout_prevote_delta and timeout_precommit_delta, ms per round (default 50). */
  readonly voteDeltaMs: number
  /** timeout_commit, ms (default 0, with skip_timeout_commit). */
  readonly commitMs: number
  /**
   * peer_gossip_sleep_duration, ms (default 10; CometBFT's own is 100): how long a peer's gossip
   * routine sleeps with nothing to send. Shorter is lower latency per consensus step (each step
   * can wait a sleep per hop); longer is less idle CPU (four validators at 10 ms idle at about
   * 0.3-0.45 cores, at 50 ms about 0.15-0.2).
   */
  readonly gossipSleepMs: number
}

/** Fast local timeouts (CometBFT's own test config is 40/10/10/10 ms). */
export const FAST_TIMEOUTS: LocalnetTimeouts = {
  proposeMs: 400,
  proposeDeltaMs: 100,
  voteMs: 100,
  voteDeltaMs: 50,
  commitMs: 0,
  gossipSleepMs: 10,
}
