/**
 * The live ENF actor (one per camera, on its edge host; docs/enf.md, Live):
 * reads the audio track of the camera's ffmpeg input, extracts ENF
 * incrementally, and every checkpoint interval commits a checkpoint signed
 * by this host's key to the intra-domain ledger (receipts kept, and recorded
 * through the integrity actor for the fog database when one is named). Each
 * checkpoint is checked against the domain's grid reference as it arrives;
 * a tampered span raises an alert: logged, kept for `enf.live.events` (the
 * alert stream) and recorded in the fog database's `alerts` table.
 *
 * The host id comes from the identity actor (this key's host), as for
 * `enf.record`. A network input (udp://, rtsp://, http://…) that dies or
 * ends is restarted with backoff (`restartDelayMs` doubling to
 * `restartMaxDelayMs`); the time without audio is a gap in the series (no
 * steps across it; the next checkpoint names it; status `gaps`). A file
 * input that ends or fails ends the stream (status says why).
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import type { EnfTamperAlert, ReferenceSeries } from './detect-checkpoint-tamper.ts'
import { EnfHostUnknownError } from './errors.ts'
import { createHostDirectoryOverActor } from './host-directory.ts'
import { loadHostSigningKey } from './host-signing-key.ts'
import { createLedgerOverActor } from './ledger-over-actor.ts'
import type { LiveEnfExtractor } from './live-enf-extractor.ts'
import {
  type CommittedCheckpoint,
  createLiveEnfSession,
  type LiveEnfSession,
} from './live-enf-session.ts'
import {
  errorText,
  idleLiveInput,
  type LiveInput,
  liveExtractorFactory,
  liveSampleRate,
  runLiveInput,
} from './live-input.ts'
import { type EnfLiveArgs, enfLiveArgs, enfLiveProtocol } from './live-protocol.ts'
import { readLiveAudio } from './read-live-audio.ts'
import { resumePosition, superviseInput } from './restart-input.ts'

type NumberedAlert = EnfTamperAlert & { seq: number }

type State = LiveInput<{ fromSeconds: number; toSeconds: number }> & {
  args: ReturnType<typeof enfLiveArgs.parse>
  session: LiveEnfSession | undefined
  streamId: string | null
  epochMs: number | null
  alerts: NumberedAlert[]
}

const KEEP_ALERTS = 1000
const KEEP_GAPS = 100

async function ownHostId(state: State, ctx: ActorContext, publicKeyHex: string): Promise<string> {
  const me = await createHostDirectoryOverActor(ctx, state.args.identityActor).hostOfKey(
    publicKeyHex,
  )
  if (!me) {
    throw new EnfHostUnknownError(
      "This host's signing key belongs to no enrolled host: set signingKeyPath to the host's own enrolled key file",
    )
  }
  return me.hostId
}

function referenceOverActor(state: State, ctx: ActorContext) {
  const { referenceActor, referenceWaitMs } = state.args
  if (!referenceActor) return undefined
  return {
    series: async (fromMs: number, toMs: number) => {
      const reply = (await ctx.ask(
        referenceActor,
        'enfref.series',
        { fromMs, toMs, waitMs: referenceWaitMs },
        { timeoutMs: referenceWaitMs + 10_000 },
      )) as { series: ReferenceSeries | null }
      return reply.series
    },
  }
}

/** Hands a fog row to the integrity actor (hash, sign, commit, forward); failures are logged. */
function recordForFog(state: State, ctx: ActorContext, table: string, id: string, data: object) {
  const integrity = state.args.integrityActor
  if (!integrity) return
  ctx
    .ask(integrity, 'integrity.record', { records: [{ table, id, data }] }, { timeoutMs: 30_000 })
    .catch((error: unknown) =>
      ctx.log('enf.live.fog_failed', { table, id, error: errorText(error) }),
    )
}

function onCheckpoint(state: State, ctx: ActorContext, c: CommittedCheckpoint, epochMs: number) {
  ctx.log('enf.live.checkpoint', {
    key: c.key,
    height: c.receipt.height,
    validFraction: c.validFraction,
  })
  recordForFog(state, ctx, 'enf_fingerprints', c.key.replaceAll('/', '.'), {
    recordingId: `${state.streamId}/${c.seq}`,
    cameraId: state.args.cameraId,
    capturedAtMs: Math.round(epochMs + c.startSeconds * 1000),
    fingerprintSha256: c.receipt.leafHash,
    ledgerKey: c.key,
  })
}

function onAlert(state: State, ctx: ActorContext, alert: EnfTamperAlert) {
  const numbered = { ...alert, seq: (state.alerts.at(-1)?.seq ?? 0) + 1 }
  state.alerts.push(numbered)
  if (state.alerts.length > KEEP_ALERTS) state.alerts.shift()
  ctx.log('enf.live.alert', numbered)
  recordForFog(state, ctx, 'alerts', `${alert.streamId}.${alert.checkpointSeq}.${numbered.seq}`, {
    cameraId: alert.cameraId,
    trackId: null,
    tsMs: alert.startMs,
    kind: 'enf_tamper',
    severity: 'high',
    decision: `${alert.kind} ${alert.startSeconds.toFixed(1)}–${alert.endSeconds.toFixed(1)} s (checkpoint ${alert.checkpointKey})`,
  })
}

/** What a run of the input needs: the signer, the host id, and a fresh extractor per run. */
type Stream = {
  signer: Awaited<ReturnType<typeof loadHostSigningKey>>
  hostId: string
  newExtractor: () => LiveEnfExtractor
}

function startSession(state: State, ctx: ActorContext, stream: Stream): LiveEnfSession {
  const { args } = state
  const epochMs = args.epochMs ?? ctx.clock.now()
  state.epochMs = epochMs
  state.streamId = args.streamId ?? `${args.cameraId}.${epochMs}`
  return createLiveEnfSession(
    {
      extractor: stream.newExtractor(),
      signer: stream.signer,
      hostId: stream.hostId,
      ledger: createLedgerOverActor(ctx, args.ledgerActor),
      reference: referenceOverActor(state, ctx),
      now: () => ctx.clock.now(),
      onCheckpoint: (c) => onCheckpoint(state, ctx, c, epochMs),
      onAlert: (alert) => onAlert(state, ctx, alert),
      onError: (stage, error) => {
        state.lastError = errorText(error)
        ctx.log('enf.live.failed', { stage, error: state.lastError })
      },
    },
    { ...args, streamId: state.streamId, epochMs },
  )
}

/**
 * After a restart the input's time 0 is now on the stream's clock: the session resumes on the
 * next whole second (so the steps stay on the stream's 1 s grid), dropping the samples before it.
 */
function resumeAfterGap(state: State, ctx: ActorContext, session: LiveEnfSession, stream: Stream) {
  const { atSeconds: at, skipSamples } = resumePosition({
    elapsedMs: ctx.clock.now() - state.epochMs!,
    readRate: state.args.readRate ?? 1,
    audioSeconds: session.audioSeconds,
    sampleRate: liveSampleRate(state.args),
  })
  session.resume(stream.newExtractor(), at)
  state.gaps.push({ fromSeconds: state.lostAtSeconds ?? at, toSeconds: at })
  if (state.gaps.length > KEEP_GAPS) state.gaps.shift()
  ctx.log('enf.live.input_resumed', { cameraId: state.args.cameraId, atSeconds: at })
  return skipSamples
}

/** One run of ffmpeg on the input, until it ends (returns) or fails (throws). */
async function readOnce(state: State, ctx: ActorContext, stream: Stream): Promise<void> {
  const sampleRate = liveSampleRate(state.args)
  let skip = -1
  for await (const chunk of readLiveAudio(state.args.input, {
    sampleRate,
    readRate: state.args.readRate,
    signal: state.abort.signal,
  })) {
    state.input = 'running'
    if (!state.session) {
      state.session = startSession(state, ctx, stream)
      skip = 0
    } else if (skip < 0) skip = resumeAfterGap(state, ctx, state.session, stream)
    const take = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk
    skip = Math.max(0, skip - chunk.length)
    state.session.push(take)
    state.audioSeconds = state.session.audioSeconds
  }
}

async function pump(state: State, ctx: ActorContext): Promise<void> {
  const { args } = state
  const [core, signer] = await Promise.all([loadFftCore(), loadHostSigningKey(args.signingKeyPath)])
  const hostId = await ownHostId(state, ctx, signer.publicKeyHex)
  const newExtractor = liveExtractorFactory(args, core)
  const stream: Stream = { signer, hostId, newExtractor }
  state.running = true
  try {
    await superviseInput(state, ctx.clock, {
      readOnce: () => readOnce(state, ctx, stream),
      onLost: (message) => {
        // The input died or ended although it is live: mark the gap, back off, restart.
        state.session?.interrupt()
        state.lostAtSeconds = state.audioSeconds
        ctx.log('enf.live.input_lost', { cameraId: args.cameraId, error: message })
      },
    })
  } finally {
    // What the input gave before it ended or failed is still committed.
    await state.session?.flush()
  }
}

function checkpointReply(c: CommittedCheckpoint) {
  return {
    seq: c.seq,
    key: c.key,
    startSeconds: c.startSeconds,
    endSeconds: c.endSeconds,
    intervalStartSeconds: c.intervalStartSeconds,
    intervalEndSeconds: c.intervalEndSeconds,
    inputGaps: c.inputGaps,
    validFraction: c.validFraction,
    medianSnrDb: c.medianSnrDb,
    audioSeconds: c.audioSeconds,
    commitMs: c.committedAtMs - c.cutAtMs,
    cutAtMs: c.cutAtMs,
    committedAtMs: c.committedAtMs,
    detection: c.detection,
    detectionReason: c.detectionReason,
    height: c.receipt.height,
    leafHash: c.receipt.leafHash,
    batchRoot: c.receipt.batchRoot,
  }
}

/** `enf-live`: one per camera, on its edge host. */
export const enfLiveActor = defineActor<State, typeof enfLiveProtocol, EnfLiveArgs>({
  name: 'enf-live',
  version: 1,
  protocol: enfLiveProtocol,
  init: (raw, ctx) => {
    const state: State = {
      ...idleLiveInput(),
      args: enfLiveArgs.parse(raw),
      session: undefined,
      streamId: null,
      epochMs: null,
      alerts: [],
    }
    runLiveInput(
      state,
      () => pump(state, ctx),
      (error) => ctx.log('enf.live.input_failed', { cameraId: state.args.cameraId, error }),
    )
    return state
  },
  receive: {
    'enf.live.status': (_p, s) => ({
      cameraId: s.args.cameraId,
      streamId: s.streamId,
      running: s.running,
      ended: s.ended,
      lastError: s.lastError,
      input: s.input,
      restarts: s.restarts,
      gaps: s.gaps.slice(-20),
      nextRestartAtMs: s.nextRestartAtMs,
      audioSeconds: s.audioSeconds,
      steps: s.session?.steps ?? 0,
      checkpoints: s.session?.checkpoints.length ?? 0,
      alerts: s.alerts.length,
    }),
    'enf.live.checkpoints': (p, s) => ({
      checkpoints: (s.session?.checkpoints ?? [])
        .filter((c) => c.seq > p.after)
        .slice(0, 500)
        .map(checkpointReply),
    }),
    'enf.live.events': (p, s) => {
      const last = s.alerts.at(-1)?.seq ?? 0
      const after = p.after > last ? 0 : p.after
      const events = s.alerts.filter((a) => a.seq > after).slice(0, 100)
      return { events, cursor: events.at(-1)?.seq ?? last }
    },
  },
  terminate: (state) => {
    state.abort.abort('the live ENF actor stopped')
  },
})
