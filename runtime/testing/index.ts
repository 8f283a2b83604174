/**
 * Helpers for tests of code built on the runtime (never imported by
 * production code; tests/architecture.test.ts checks that): waiting for a
 * condition instead of sleeping, reading a rejection without bun's
 * `expect().rejects` hang, an injectable clock, in-memory and tampering
 * transports, raw frames for fuzzing a host's RPC port, and the counter
 * actor fixture the kernel, host and domain tests share.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint of the test helpers
export { TestClock } from '../clock/test-clock.ts'
export { encodeFrame } from '../rpc/frame-codec.ts'
export { createMemoryTransport, MemoryNetwork } from '../rpc/memory-transport.ts'
export { createTamperingTransport, flipLastBit, type Tamper } from '../rpc/tampering-transport.ts'
export type { counterProtocol } from './counter-actor-fixture.ts'
export { counterFixtures, counterSpawn } from './counter-fixtures.ts'
export { FuzzRandom, mutateBytes } from './fuzz-bytes.ts'
export { fuzzGateway, type GatewayFuzzOptions } from './fuzz-gateway.ts'
export {
  countOutcome,
  type FuzzReport,
  maxRssMb,
  mergeFuzzReports,
  newFuzzReport,
  recordFinding,
} from './fuzz-report.ts'
export { fuzzRpcDecoder } from './fuzz-rpc-decoder.ts'
export { fuzzRpcListener } from './fuzz-rpc-listener.ts'
export {
  type FuzzTarget,
  type FuzzTargetHost,
  startFuzzTargetHost,
} from './fuzz-target-host.ts'
export {
  FAST_DETECTION,
  type InProcessHosts,
  inProcessHosts,
  type TestHostOptions,
  testHostConfig,
} from './in-process-hosts.ts'
export { bitmapHas, type LedgerState, type ledgerProtocol } from './ledger-actor-fixture.ts'
export {
  type LedgerDomain,
  type LogEntry,
  readLedgerOver,
  startLedgerDomain,
} from './ledger-domain.ts'
export { loneSnapshotReplicas } from './lone-snapshot-replicas.ts'
export {
  createNetnsLab,
  type LabMachine,
  type NetnsLab,
  netnsUnavailable,
  OPERATOR_ADDRESS,
} from './netns-lab.ts'
export { readEvents } from './read-events.ts'
export { rejectionOf } from './rejection-of.ts'
export { type RoguePeer, type RoguePeerOptions, startRoguePeer } from './rogue-peer.ts'
export { type WaitForOptions, waitFor } from './wait-for.ts'
