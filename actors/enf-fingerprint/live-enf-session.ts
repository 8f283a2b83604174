/**
 * One camera's live ENF (docs/enf.md, Live), without the actor around it:
 * PCM chunks go to the incremental extractor; checkpoint k holds every ENF
 * step that the audio of its interval (kI, (k+1)I] completed, I =
 * `checkpointSeconds` of audio: the steps whose frames (through the median
 * and the hop-grid interpolation) end within the interval. So the cut needs
 * no audio after the interval's end: it happens as soon as the sample at the
 * end is pushed (chunks are split there), and the checkpoint's last step is
 * centred ≈ half a frame + 1–2 s before that end. Each checkpoint (enf-checkpoint.ts)
 * is signed by the host and committed to the ledger, in order, its receipt
 * kept; each committed checkpoint is then compared with the grid reference
 * over the recent history (detect-checkpoint-tamper.ts) and a tampered span
 * reaching into it raises an alert. Commits run on one promise chain and
 * detection on another after them, so `push` never waits for the ledger and
 * a commit never waits for the reference; `idle()` resolves when both have caught up.
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
import { EnfInvalidParameterError } from './errors.ts'
import type { HostSigner } from './host-signing-key.ts'
import type { LiveEnfExtractor, LiveEnfStep } from './live-enf-extractor.ts'

export type LiveEnfSessionOptions = {
  cameraId: string
  streamId: string
  /** Wall-clock ms of the stream's first sample. */
  epochMs: number
  /** Seconds of audio per checkpoint interval (default 30; whole seconds). */
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
  /** Stream time of its first and last step (s): the frames' centres. */
  startSeconds: number
  endSeconds: number
  /** The audio interval (stream time, s) whose arrival completed its steps: (start, end]. */
  intervalStartSeconds: number
  intervalEndSeconds: number
  validFraction: number
  medianSnrDb: number
  /** Seconds of audio pushed when it was cut: intervalEndSeconds, or less for the last one at the input's end. */
  audioSeconds: number
  cutAtMs: number
  committedAtMs: number
  receipt: Receipt
  /** Stream time (s) without audio since the previous checkpoint (the input was restarted). */
  inputGaps: { fromSeconds: number; toSeconds: number }[]
  /** What detection concluded for it. */
  detection: 'tampered' | 'clear' | 'inconclusive' | 'skipped'
  detectionReason: string
}

export type LiveEnfSession = {
  push(samples: ArrayLike<number>): void
  /**
   * The input died: cuts the steps so far into a checkpoint (its interval ends here) and
   * stops taking steps from this extractor; `resume` continues after the gap.
   */
  interrupt(): void
  /**
   * The input is back: `extractor` (fresh, its time 0 at `atSeconds`, a whole second of
   * stream time) takes over. The span since the interruption is a gap: no steps, and the
   * next checkpoint names it (`inputGaps`); the detection history restarts after it.
   */
  resume(extractor: LiveEnfExtractor, atSeconds: number): void
  /** Stream time (s) of the audio taken so far, gaps included. */
  readonly audioSeconds: number
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
  meta: {
    seq: number
    previous: string | null
    options: LiveEnfSessionOptions
    gaps: { fromMs: number; toMs: number }[]
  },
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
    ...(meta.gaps.length ? { inputGaps: meta.gaps } : {}),
  }
}

/** Checkpoints (and alerts) kept in memory: a day at 30 s. The ledger keeps them all. */
const KEEP_CHECKPOINTS = 2880

/** The session's parts commit and check write to. */
type Sink = {
  dependencies: LiveEnfSessionDependencies
  options: LiveEnfSessionOptions
  checkpoints: CommittedCheckpoint[]
  alerts: EnfTamperAlert[]
}

/** What the cut knew: when, how much audio, and the interval it closed. */
type Cut = { atMs: number; audioSeconds: number; interval: { start: number; end: number } }

/** Signs and commits one checkpoint and keeps its receipt. */
async function commit(
  sink: Sink,
  checkpoint: EnfCheckpoint,
  cut: Cut,
): Promise<CommittedCheckpoint> {
  const { dependencies } = sink
  const signature = dependencies.signer.sign(canonicalCheckpointBytes(checkpoint))
  const record = checkpointLedgerRecord({ checkpoint, signature }, dependencies.hostId)
  const receipt = await dependencies.ledger.commit(record)
  const committed: CommittedCheckpoint = {
    seq: checkpoint.seq,
    key: record.key,
    startSeconds: checkpoint.startMs / 1000,
    endSeconds: (checkpoint.startMs + (checkpoint.steps - 1) * checkpoint.hopMs) / 1000,
    intervalStartSeconds: cut.interval.start,
    intervalEndSeconds: cut.interval.end,
    inputGaps: (checkpoint.inputGaps ?? []).map((g) => ({
      fromSeconds: g.fromMs / 1000,
      toSeconds: g.toMs / 1000,
    })),
    validFraction: checkpoint.quality.validPermille / 1000,
    medianSnrDb: checkpoint.quality.medianSnrCentiDb / 100,
    audioSeconds: cut.audioSeconds,
    cutAtMs: cut.atMs,
    committedAtMs: dependencies.now(),
    receipt,
    detection: 'skipped',
    detectionReason: dependencies.reference ? 'not checked yet' : 'no grid reference configured',
  }
  sink.checkpoints.push(committed)
  if (sink.checkpoints.length > KEEP_CHECKPOINTS) sink.checkpoints.shift()
  dependencies.onCheckpoint?.(committed)
  return committed
}

/** Checks a committed checkpoint against the reference; alerts for the spans reaching into it. */
async function check(
  sink: Sink,
  committed: CommittedCheckpoint,
  snapshot: LiveEnfStep[],
): Promise<void> {
  const { dependencies, options } = sink
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

/** What a session carries between pushes. */
type SessionState = {
  sink: Sink
  extractor: LiveEnfExtractor
  intervalSamples: number
  historySteps: number
  history: LiveEnfStep[]
  pending: LiveEnfStep[]
  seq: number
  previous: string | null
  commits: Promise<CommittedCheckpoint | undefined>
  checks: Promise<void>
  stepCount: number
  /** Samples of stream time so far (gaps included). */
  pushed: number
  intervalStart: number
  gaps: { fromMs: number; toMs: number }[]
  interrupted: boolean
  /** Stream time (s) of the current extractor's time 0. */
  origin: number
}

/** Cuts the pending steps into a checkpoint for the interval ending at `end` (s); queues commit and check. */
function cut(st: SessionState, end: number): void {
  const { dependencies, options } = st.sink
  const interval = { start: st.intervalStart, end }
  st.intervalStart = end
  if (st.pending.length === 0) return
  const meta = { seq: st.seq, previous: st.previous, options, gaps: st.gaps }
  const checkpoint = buildCheckpoint(st.pending, meta, st.extractor, dependencies.signer)
  st.gaps = []
  st.previous = checkpointDigest(checkpoint)
  st.seq++
  st.pending = []
  const snapshot = st.history.slice(-st.historySteps)
  const at: Cut = {
    atMs: dependencies.now(),
    audioSeconds: st.pushed / st.extractor.sampleRate,
    interval,
  }
  const committed = st.commits.then(() => commit(st.sink, checkpoint, at))
  st.commits = committed.catch((error: unknown) => {
    dependencies.onError?.('commit', error)
    return undefined
  })
  st.checks = Promise.all([st.checks, st.commits]).then(([, c]) =>
    c ? check(st.sink, c, snapshot) : undefined,
  )
}

/** Feeds samples to the extractor, splitting them at each interval end (where it cuts). */
function pushSamples(st: SessionState, samples: ArrayLike<number>): void {
  let at = 0
  while (at < samples.length) {
    const boundary = (Math.floor(st.pushed / st.intervalSamples) + 1) * st.intervalSamples
    const count = Math.min(samples.length - at, boundary - st.pushed)
    for (const raw of st.extractor.push(slice(samples, at, at + count))) {
      const step = st.origin ? { ...raw, timeSeconds: raw.timeSeconds + st.origin } : raw
      st.pending.push(step)
      st.history.push(step)
      st.stepCount++
    }
    at += count
    st.pushed += count
    if (st.pushed === boundary) cut(st, boundary / st.extractor.sampleRate)
  }
  if (st.history.length > 2 * st.historySteps) st.history = st.history.slice(-st.historySteps)
}

function interrupt(st: SessionState): void {
  if (st.interrupted) return
  cut(st, st.pushed / st.extractor.sampleRate)
  st.interrupted = true
}

function resume(st: SessionState, next: LiveEnfExtractor, atSeconds: number): void {
  const at = Math.round(atSeconds * next.sampleRate)
  if (!Number.isInteger(atSeconds) || at < st.pushed) {
    throw new EnfInvalidParameterError(
      `A live ENF session resumes on a whole second at or after its audio so far (${st.pushed / next.sampleRate} s; got ${atSeconds})`,
    )
  }
  interrupt(st)
  if (at > st.pushed) {
    st.gaps.push({
      fromMs: Math.round((st.pushed / next.sampleRate) * 1000),
      toMs: Math.round(atSeconds * 1000),
    })
  }
  st.extractor = next
  st.origin = atSeconds
  st.pushed = at
  st.intervalStart = atSeconds
  st.history = []
  st.interrupted = false
}

/** Starts a session; feed it with `push`. */
export function createLiveEnfSession(
  dependencies: LiveEnfSessionDependencies,
  options: LiveEnfSessionOptions,
): LiveEnfSession {
  const { extractor } = dependencies
  const st: SessionState = {
    sink: { dependencies, options, checkpoints: [], alerts: [] },
    extractor,
    intervalSamples: Math.round((options.checkpointSeconds ?? 30) * extractor.sampleRate),
    historySteps: Math.round((options.historySeconds ?? 300) / extractor.hopSeconds),
    history: [],
    pending: [],
    seq: 0,
    previous: null,
    commits: Promise.resolve(undefined),
    checks: Promise.resolve(),
    stepCount: 0,
    pushed: 0,
    intervalStart: 0,
    gaps: [],
    interrupted: false,
    origin: 0,
  }
  const idle = async () => {
    await st.commits
    await st.checks
  }
  return {
    push: (samples) => {
      if (!st.interrupted) pushSamples(st, samples)
    },
    interrupt: () => interrupt(st),
    resume: (next, atSeconds) => resume(st, next, atSeconds),
    get audioSeconds() {
      return st.pushed / st.extractor.sampleRate
    },
    idle,
    flush() {
      cut(st, st.pushed / st.extractor.sampleRate)
      return idle()
    },
    checkpoints: st.sink.checkpoints,
    alerts: st.sink.alerts,
    get steps() {
      return st.stepCount
    },
  }
}

/** A view of samples [from, to) without copying where the input allows it. */
function slice(samples: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (from === 0 && to === samples.length) return samples
  const view = samples as { subarray?: (a: number, b: number) => ArrayLike<number> }
  if (typeof view.subarray === 'function') return view.subarray(from, to)
  return Array.prototype.slice.call(samples, from, to) as number[]
}
