/**
 * One camera's live ENF (docs/enf.md, Live), without the actor around it:
 * PCM chunks go to the incremental extractor; every `checkpointSeconds` of
 * ENF steps becomes a checkpoint (enf-checkpoint.ts) signed by the host and
 * committed to the ledger, in order, its receipt kept; each committed
 * checkpoint is then compared with the grid reference over the recent
 * history (detect-checkpoint-tamper.ts) and a tampered span reaching into it
 * raises an alert. Work after the cut runs on one promise chain, so `push`
 * never waits for the ledger; `idle()` resolves when it has caught up.
 */
import type { IntraDomainLedger, Receipt } from '../../ledger/index.ts'
import { median } from '../../runtime/index.ts'
import {
  detectCheckpointTamper,
  type EnfTamperAlert,
  type ReferenceSource,
} from './detect-checkpoint-tamper.ts'
import {
  canonicalCheckpointBytes,
  checkpointDigest,
  checkpointLedgerRecord,
  type EnfCheckpoint,
  encodeSteps,
} from './enf-checkpoint.ts'
import type { HostSigner } from './host-signing-key.ts'
import type { LiveEnfExtractor, LiveEnfStep } from './live-enf-extractor.ts'

export type LiveEnfSessionOptions = {
  cameraId: string
  streamId: string
  /** Wall-clock ms of the stream's first sample. */
  epochMs: number
  /** ENF steps per checkpoint, in seconds (default 30). */
  checkpointSeconds?: number | undefined
  /** Seconds of ENF history each detection compares (default 300). */
  historySeconds?: number | undefined
  /** Lag search (s) against the reference, both on the same clock (default 2). */
  maxLagSeconds?: number | undefined
}

export type LiveEnfSessionDependencies = {
  extractor: LiveEnfExtractor
  signer: HostSigner
  hostId: string
  ledger: IntraDomainLedger
  reference?: ReferenceSource | undefined
  /** Wall clock (ms), for the commit latency and the alerts' times. */
  now: () => number
  onCheckpoint?: ((committed: CommittedCheckpoint) => void) | undefined
  onAlert?: ((alert: EnfTamperAlert) => void) | undefined
  onError?: ((stage: 'commit' | 'detect', error: unknown) => void) | undefined
}

/** A checkpoint as the session keeps it: what it covered and its receipt. */
export type CommittedCheckpoint = {
  seq: number
  key: string
  /** Stream time of its first and last step (s). */
  startSeconds: number
  endSeconds: number
  validFraction: number
  medianSnrDb: number
  /** Seconds of audio pushed when it was cut (its last step needs audio up to ≈ endSeconds + frame/2 + 1). */
  audioSeconds: number
  cutAtMs: number
  committedAtMs: number
  receipt: Receipt
  /** What detection concluded for it. */
  detection: 'tampered' | 'clear' | 'skipped'
  detectionReason: string
}

export type LiveEnfSession = {
  push(samples: ArrayLike<number>): void
  /** Resolves once every checkpoint cut so far is committed and checked. */
  idle(): Promise<void>
  /** The input ended: cuts the steps since the last checkpoint into a last one, then idle(). */
  flush(): Promise<void>
  readonly checkpoints: readonly CommittedCheckpoint[]
  readonly alerts: readonly EnfTamperAlert[]
  readonly steps: number
}

/** The checkpoint content for a run of steps. */
function buildCheckpoint(
  steps: readonly LiveEnfStep[],
  meta: { seq: number; previous: string | null; options: LiveEnfSessionOptions },
  extractor: LiveEnfExtractor,
  signer: HostSigner,
): EnfCheckpoint {
  const valid = steps.filter((s) => s.valid).length
  const snrs = steps.map((s) => s.snrDb).filter(Number.isFinite)
  return {
    v: 1,
    cameraId: meta.options.cameraId,
    streamId: meta.options.streamId,
    seq: meta.seq,
    epochMs: meta.options.epochMs,
    startMs: Math.round(steps[0]!.timeSeconds * 1000),
    hopMs: Math.round(extractor.hopSeconds * 1000),
    frameMs: Math.round(extractor.frameSeconds * 1000),
    nominalHz: extractor.nominal,
    sampleRate: extractor.sampleRate,
    steps: steps.length,
    ...encodeSteps(steps, extractor.nominal),
    quality: {
      validPermille: Math.round((1000 * valid) / steps.length),
      medianSnrCentiDb: snrs.length ? Math.round(100 * median(snrs)) : -10_000,
    },
    previous: meta.previous,
    hostPublicKey: signer.publicKeyHex,
  }
}

/** Checkpoints (and alerts) kept in memory: a day at 30 s. The ledger keeps them all. */
const KEEP_CHECKPOINTS = 2880

/** The session's parts commitAndCheck writes to. */
type Sink = {
  dependencies: LiveEnfSessionDependencies
  options: LiveEnfSessionOptions
  checkpoints: CommittedCheckpoint[]
  alerts: EnfTamperAlert[]
}

/** Signs and commits one checkpoint, keeps its receipt, then checks it against the reference. */
async function commitAndCheck(
  sink: Sink,
  checkpoint: EnfCheckpoint,
  snapshot: LiveEnfStep[],
  cut: { atMs: number; audioSeconds: number },
): Promise<void> {
  const { dependencies, options } = sink
  const signature = dependencies.signer.sign(canonicalCheckpointBytes(checkpoint))
  const record = checkpointLedgerRecord({ checkpoint, signature }, dependencies.hostId)
  const receipt = await dependencies.ledger.commit(record)
  const committed: CommittedCheckpoint = {
    seq: checkpoint.seq,
    key: record.key,
    startSeconds: checkpoint.startMs / 1000,
    endSeconds: (checkpoint.startMs + (checkpoint.steps - 1) * checkpoint.hopMs) / 1000,
    validFraction: checkpoint.quality.validPermille / 1000,
    medianSnrDb: checkpoint.quality.medianSnrCentiDb / 100,
    audioSeconds: cut.audioSeconds,
    cutAtMs: cut.atMs,
    committedAtMs: dependencies.now(),
    receipt,
    detection: 'skipped',
    detectionReason: 'no grid reference configured',
  }
  sink.checkpoints.push(committed)
  if (sink.checkpoints.length > KEEP_CHECKPOINTS) sink.checkpoints.shift()
  dependencies.onCheckpoint?.(committed)
  if (!dependencies.reference) return
  try {
    const found = await detectCheckpointTamper(
      { reference: dependencies.reference, now: dependencies.now },
      { checkpoint: committed, history: snapshot, options },
    )
    committed.detection = found.status
    committed.detectionReason = found.reason
    for (const alert of found.alerts) {
      sink.alerts.push(alert)
      if (sink.alerts.length > KEEP_CHECKPOINTS) sink.alerts.shift()
      dependencies.onAlert?.(alert)
    }
  } catch (error) {
    committed.detectionReason = error instanceof Error ? error.message : String(error)
    dependencies.onError?.('detect', error)
  }
}

/** Starts a session; feed it with `push`. */
export function createLiveEnfSession(
  dependencies: LiveEnfSessionDependencies,
  options: LiveEnfSessionOptions,
): LiveEnfSession {
  const { extractor, signer } = dependencies
  const interval = options.checkpointSeconds ?? 30
  const historySteps = Math.round((options.historySeconds ?? 300) / extractor.hopSeconds)
  const checkpoints: CommittedCheckpoint[] = []
  const alerts: EnfTamperAlert[] = []
  let history: LiveEnfStep[] = []
  let pending: LiveEnfStep[] = []
  let seq = 0
  let previous: string | null = null
  let chain: Promise<void> = Promise.resolve()
  let stepCount = 0

  const cut = () => {
    const checkpoint = buildCheckpoint(pending, { seq, previous, options }, extractor, signer)
    previous = checkpointDigest(checkpoint)
    seq++
    pending = []
    const snapshot = history.slice(-historySteps)
    const at = { atMs: dependencies.now(), audioSeconds: extractor.pushedSeconds }
    chain = chain
      .then(() =>
        commitAndCheck({ dependencies, options, checkpoints, alerts }, checkpoint, snapshot, at),
      )
      .catch((error: unknown) => dependencies.onError?.('commit', error))
  }

  return {
    push(samples) {
      const hop = extractor.hopSeconds
      for (const step of extractor.push(samples)) {
        pending.push(step)
        history.push(step)
        stepCount++
        // The interval's last step is in: cut now rather than wait for the next one.
        const next = step.timeSeconds + hop
        if (Math.floor(next / interval + 1e-9) !== Math.floor(step.timeSeconds / interval + 1e-9))
          cut()
      }
      if (history.length > 2 * historySteps) history = history.slice(-historySteps)
    },
    idle: () => chain,
    flush() {
      if (pending.length) cut()
      return chain
    },
    checkpoints,
    alerts,
    get steps() {
      return stepCount
    },
  }
}
