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
}

/** Fast local timeouts (CometBFT's own test config is 40/10/10/10 ms). */
export const FAST_TIMEOUTS: LocalnetTimeouts = {
  proposeMs: 400,
  proposeDeltaMs: 100,
  voteMs: 100,
  voteDeltaMs: 50,
  commitMs: 0,
}
