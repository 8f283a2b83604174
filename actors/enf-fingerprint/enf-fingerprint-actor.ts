/**
 * The ENF fingerprint actor (one per edge host): `enf.record` fingerprints a
 * recording on this host and commits it, signed with the host's key, to the
 * intra-domain ledger under the host's namespace (`enf:<hostId>/<id>`);
 * `enf.verify` checks a stored fingerprint against a presented recording,
 * trusting only signers the identity actor says are registered hosts of this
 * zone; `enf.extract` and `enf.compare` serve the ENF series and the tamper
 * verdict to other services without touching the ledger.
 *
 * Files are named inside the configured media root or sent as bytes
 * (media-root.ts, media-input.ts); errors leave without details or causes
 * (scrub-error.ts). The key is read from the file named in the init
 * arguments; the ledger and the identity registry are reached only through
 * their actors' protocols. Stateless: everything it holds is rebuilt from
 * its arguments.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import { enfPresence } from './assert-enf-present.ts'
import { type CompareEnfResult, compareEnf } from './compare-enf.ts'
import { EnfHostUnknownError } from './errors.ts'
import { extractEnf } from './extract-enf.ts'
import { createHostDirectoryOverActor } from './host-directory.ts'
import { type HostSigner, loadHostSigningKey } from './host-signing-key.ts'
import { createLedgerOverActor } from './ledger-over-actor.ts'
import { loadAudio } from './load-audio.ts'
import { loadRecordingOrSeries } from './load-reference.ts'
import { withMediaFile } from './media-input.ts'
import { type MediaRoot, openMediaRoot } from './media-root.ts'
import { type EnfFingerprintArgs, enfFingerprintArgs, enfFingerprintProtocol } from './protocol.ts'
import { recordEnfFingerprint } from './record-enf-fingerprint.ts'
import { scrubError } from './scrub-error.ts'
import { verifyEnfCheckpoints } from './verify-enf-checkpoints.ts'
import { verifyEnfFingerprint } from './verify-enf-fingerprint.ts'

type State = {
  args: ReturnType<typeof enfFingerprintArgs.parse>
  signer: HostSigner
  core: FftCore
  media: MediaRoot
}

/** Plain data has no NaN/Infinity (msgpack/JSON): unknown numbers travel as null. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

async function initState(rawArgs: EnfFingerprintArgs): Promise<State> {
  const args = enfFingerprintArgs.parse(rawArgs)
  const [signer, core, media] = await Promise.all([
    loadHostSigningKey(args.signingKeyPath),
    loadFftCore(),
    openMediaRoot(args.mediaRoot),
  ])
  return { args, signer, core, media }
}

/** Runs a handler body; what it throws leaves scrubbed (code and message only), its code logged. */
async function guarded<T>(context: ActorContext, type: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    const scrubbed = scrubError(error)
    context.log('enf.failed', {
      type,
      code: scrubbed.code,
      ...(scrubbed.code === 'INTERNAL' && error instanceof Error ? { error: error.name } : {}),
    })
    throw scrubbed
  }
}

/** This host's id, as the identity actor knows its signing key. */
async function ownHostId(state: State, context: ActorContext): Promise<string> {
  const hosts = createHostDirectoryOverActor(context, state.args.identityActor)
  const me = await hosts.hostOfKey(state.signer.publicKeyHex)
  if (!me) {
    throw new EnfHostUnknownError(
      "This host's signing key belongs to no enrolled host: set signingKeyPath to the host's own enrolled key file",
    )
  }
  return me.hostId
}

/**
 * What `enf.verify` and `enf.verify_stream` check with: the ledger, the FFT core, the host
 * directory and this host's key; the host whose records are read (the payload's, else this one);
 * and the candidate recording as given (a path in the media folder or inline bytes).
 */
async function verification(
  state: State,
  context: ActorContext,
  payload: {
    hostId?: string | undefined
    candidatePath?: string | undefined
    candidate?: string | undefined
  },
) {
  const deps = {
    ledger: createLedgerOverActor(context, state.args.ledgerActor),
    core: state.core,
    hosts: createHostDirectoryOverActor(context, state.args.identityActor),
    verifierKeyHex: state.signer.publicKeyHex,
  }
  const hostId = payload.hostId ?? (await ownHostId(state, context))
  return { deps, hostId, input: { path: payload.candidatePath, base64: payload.candidate } }
}

const receiptSummary = (receipt: {
  height: number
  txHash: string
  batchRoot: string
  leafHash: string
  chainId: string
}) => ({
  height: receipt.height,
  txHash: receipt.txHash,
  batchRoot: receipt.batchRoot,
  leafHash: receipt.leafHash,
  chainId: receipt.chainId,
})

/** A comparison as `enf.compare` answers it. */
function compareReply(result: CompareEnfResult) {
  return {
    verdict: result.verdict,
    reason: result.reason,
    lagSeconds: result.lagSeconds,
    offsetHz: finiteOrNull(result.offsetHz),
    medianSnrDb: finiteOrNull(result.medianSnrDb),
    tamperedSpans: result.tamperedSpans,
    windows: result.windows.map((w) => ({
      startSeconds: w.startSeconds,
      endSeconds: w.endSeconds,
      r: finiteOrNull(w.r),
      rmseHz: finiteOrNull(w.rmseHz),
      snrDb: finiteOrNull(w.snrDb),
      status: w.status,
    })),
  }
}

/** The `enf-fingerprint` actor: `enf.record`, `enf.verify`, `enf.extract`, `enf.compare` on this edge host. */
export const enfFingerprintActor = defineActor<
  State,
  typeof enfFingerprintProtocol,
  EnfFingerprintArgs
>({
  name: 'enf-fingerprint',
  version: 2,
  protocol: enfFingerprintProtocol,
  stateless: true,
  init: (args, context) => {
    context.log('enf-fingerprint.init', {
      ledgerActor: args.ledgerActor ?? 'ledger',
      identityActor: args.identityActor ?? 'identity',
    })
    return initState(args)
  },
  receive: {
    'enf.record': (payload, state, context) =>
      guarded(context, 'enf.record', async () => {
        const hostId = await ownHostId(state, context)
        const input = { path: payload.audioPath, base64: payload.audio }
        const result = await withMediaFile(state.media, input, (audioPath) =>
          recordEnfFingerprint(
            {
              ledger: createLedgerOverActor(context, state.args.ledgerActor),
              core: state.core,
              signer: state.signer,
            },
            {
              hostId,
              recordingId: payload.recordingId,
              audioPath,
              nominal: payload.nominal ?? state.args.nominal,
              capturedAtMs: payload.capturedAtMs ?? null,
              frameSeconds: state.args.frameSeconds,
            },
          ),
        )
        context.log('enf.recorded', {
          fingerprintId: result.fingerprintId,
          steps: result.steps,
          medianSnrDb: result.medianSnrDb,
          height: result.receipt.height,
        })
        return { ...result, receipt: receiptSummary(result.receipt) }
      }),
    'enf.extract': (payload, state, context) =>
      guarded(context, 'enf.extract', async () => {
        const nominal = payload.nominal ?? state.args.nominal
        const input = { path: payload.audioPath, base64: payload.audio }
        const audio = await withMediaFile(state.media, input, (path) =>
          loadAudio(path, { nominal }),
        )
        const series = extractEnf(audio, {
          nominal,
          core: state.core,
          frameSeconds: state.args.frameSeconds,
        })
        const presence = enfPresence(series)
        return {
          nominal,
          startSeconds: series.startSeconds,
          hopSeconds: series.hopSeconds,
          frequencyHz: Array.from(series.frequency),
          snrDb: Array.from(series.snrDb, finiteOrNull),
          valid: Array.from(series.valid, (v) => v === 1),
          validFraction: presence.validFraction,
          medianSnrDb: finiteOrNull(presence.medianSnrDb),
        }
      }),
    'enf.compare': (payload, state, context) =>
      guarded(context, 'enf.compare', async () => {
        const nominal = payload.nominal ?? state.args.nominal
        const options = { nominal, core: state.core, frameSeconds: state.args.frameSeconds }
        const recording = await withMediaFile(
          state.media,
          { path: payload.recordingPath, base64: payload.recording },
          (path) => loadRecordingOrSeries(path, options),
        )
        const reference = await withMediaFile(
          state.media,
          { path: payload.referencePath, base64: payload.reference },
          (path) => loadRecordingOrSeries(path, options, 'reference'),
        )
        const result = compareEnf(recording.track, reference.track, {
          discontinuities: recording.discontinuities,
          referenceDiscontinuities: reference.discontinuities,
          referenceOffsetSeconds: payload.referenceOffsetSeconds,
        })
        return compareReply(result)
      }),
    'enf.verify_stream': (payload, state, context) =>
      guarded(context, 'enf.verify_stream', async () => {
        const { deps, hostId, input } = await verification(state, context, payload)
        const result = await withMediaFile(state.media, input, (candidatePath) =>
          verifyEnfCheckpoints(deps, { hostId, streamId: payload.streamId, candidatePath }),
        )
        context.log('enf.verified_stream', {
          streamId: payload.streamId,
          hostId,
          passed: result.passed,
          verdict: result.verdict,
          mismatched: result.mismatchedCheckpoints.length,
        })
        return result
      }),
    'enf.verify': (payload, state, context) =>
      guarded(context, 'enf.verify', async () => {
        const { deps, hostId, input } = await verification(state, context, payload)
        const result = await withMediaFile(state.media, input, (candidatePath) =>
          verifyEnfFingerprint(deps, {
            hostId,
            recordingId: payload.recordingId,
            candidatePath,
            threshold: payload.threshold,
          }),
        )
        context.log('enf.verified', {
          recordingId: payload.recordingId,
          hostId,
          passed: result.passed,
          verdict: result.verdict,
          signerTrusted: result.signerTrusted,
        })
        return {
          ...result,
          correlation: finiteOrNull(result.correlation),
          tamperedSpans: result.tamperedSpans,
        }
      }),
  },
  snapshot: (state) => state.args,
  migrate: (_fromVersion, snapshot) => initState(snapshot as EnfFingerprintArgs),
})
