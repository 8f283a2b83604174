/**
 * The BlendSPS prototype's published figures (recomputed from its committed
 * logs, shared/notes/peer-prototype.md §9), printed beside vigil's.
 */
export const PAPER = {
  /** Tendermint broadcast_tx_commit, s, 100 runs: mean / median. */
  tendermintCommitMeanMs: 3640,
  tendermintCommitMedianMs: 2860,
  /** Ethereum (geth PoW) commit, s, 100 runs: mean / median. */
  ethCommitMeanMs: 4630,
  ethCommitMedianMs: 3760,
  /** Server-side processing time, ms: identity, access, integrity, ENF. */
  serviceMs: {
    edge: { identity: 142.99, access: 96.79, integrity: 60.63, enf: 32.4 },
    fog: { identity: 20.21, access: 11.97, integrity: 7.46, enf: 5.63 },
  },
  /** Micro (5 AuthID instances) and Mono, req/s implied at N = 100 (multi_srv_tx). */
  microReqPerS: 40.3,
  monoReqPerS: 9.2,
  /** Micro with 4, 3, 2 of 5 instances (plotted as 20/40/60 % dropout). */
  microDropoutReqPerS: { 20: 32.1, 40: 26.4, 60: 17.8 },
  /** AuthID single-service burst of N concurrent requests, mean wall time s (single_srv_tx). */
  identityBurstS: { 1: 0.102, 2: 0.202, 5: 0.535, 10: 1.06, 20: 2.185, 50: 5.439, 100: 10.98 },
} as const
