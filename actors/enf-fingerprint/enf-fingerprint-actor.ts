/**
 * The ENF fingerprint actor (one per edge host): `enf.record` fingerprints a
 * recording on this host and commits it, signed with the host's key, to the
 * intra-domain ledger; `enf.verify` checks a stored fingerprint against a
 * presented recording; `enf.extract` and `enf.compare` serve the ENF series
 * and the tamper verdict to other services without touching the ledger. The key is read from the file named in the init
 * arguments; the ledger is reached only through the ledger actor's protocol.
 * Stateless: everything it holds is rebuilt from its arguments.
 */
import { isAbsolute, relative, resolve } from 'node:path'
import { defineActor } from '../../runtime/actor/define-actor.ts'
import { loadFftCore } from '../../wasm/fft.ts'
import type { FftCore } from '../../wasm/fft-core.ts'
import { enfPresence } from './assert-enf-present.ts'
import { compareEnf } from './compare-enf.ts'
import { EnfInvalidParameterError } from './errors.ts'
import { extractEnf } from './extract-enf.ts'
import { type HostSigner, loadHostSigningKey } from './host-signing-key.ts'
import { createLedgerOverActor } from './ledger-over-actor.ts'
import { loadAudio } from './load-audio.ts'
import { loadRecordingOrSeries } from './load-reference.ts'
import { type EnfFingerprintArgs, enfFingerprintArgs, enfFingerprintProtocol } from './protocol.ts'
import { recordEnfFingerprint } from './record-enf-fingerprint.ts'
import { verifyEnfFingerprint } from './verify-enf-fingerprint.ts'

type State = {
  args: ReturnType<typeof enfFingerprintArgs.parse>
  signer: HostSigner
  core: FftCore
}

/** Resolves a requested path, refusing anything outside `mediaRoot` when one is configured. */
function mediaPath(path: string, mediaRoot: string | undefined): string {
  const resolved = resolve(path)
  if (mediaRoot === undefined) return resolved
  const root = resolve(mediaRoot)
  const within = relative(root, resolved)
  if (within === '' || within.startsWith('..') || isAbsolute(within)) {
    throw new EnfInvalidParameterError(`The path is outside this host's media folder: ${path}`, {
      meta: { mediaRoot: root },
    })
  }
  return resolved
}

/** Plain data has no NaN/Infinity (msgpack/JSON): unknown numbers travel as null. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

async function initState(rawArgs: EnfFingerprintArgs): Promise<State> {
  const args = enfFingerprintArgs.parse(rawArgs)
  const [signer, core] = await Promise.all([loadHostSigningKey(args.signingKeyPath), loadFftCore()])
  return { args, signer, core }
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

/** The `enf-fingerprint` actor: `enf.record`, `enf.verify`, `enf.extract`, `enf.compare` on this edge host. */
export const enfFingerprintActor = defineActor<
  State,
  typeof enfFingerprintProtocol,
  EnfFingerprintArgs
>({
  name: 'enf-fingerprint',
  version: 1,
  protocol: enfFingerprintProtocol,
  stateless: true,
  init: (args, context) => {
    context.log('enf-fingerprint.init', { ledgerActor: args.ledgerActor ?? 'ledger' })
    return initState(args)
  },
  receive: {
    'enf.record': async (payload, state, context) => {
      const result = await recordEnfFingerprint(
        {
          ledger: createLedgerOverActor(context, state.args.ledgerActor),
          core: state.core,
          signer: state.signer,
        },
        {
          recordingId: payload.recordingId,
          audioPath: mediaPath(payload.audioPath, state.args.mediaRoot),
          nominal: payload.nominal ?? state.args.nominal,
          capturedAtMs: payload.capturedAtMs ?? null,
          frameSeconds: state.args.frameSeconds,
        },
      )
      context.log('enf.recorded', {
        fingerprintId: result.fingerprintId,
        steps: result.steps,
        medianSnrDb: result.medianSnrDb,
        height: result.receipt.height,
      })
      return { ...result, receipt: receiptSummary(result.receipt) }
    },
    'enf.extract': async (payload, state) => {
      const nominal = payload.nominal ?? state.args.nominal
      const audio = await loadAudio(mediaPath(payload.audioPath, state.args.mediaRoot), { nominal })
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
    },
    'enf.compare': async (payload, state) => {
      const nominal = payload.nominal ?? state.args.nominal
      const options = { nominal, core: state.core, frameSeconds: state.args.frameSeconds }
      const recording = await loadRecordingOrSeries(
        mediaPath(payload.recordingPath, state.args.mediaRoot),
        options,
      )
      const reference = await loadRecordingOrSeries(
        mediaPath(payload.referencePath, state.args.mediaRoot),
        options,
        'reference',
      )
      const result = compareEnf(recording.track, reference.track, {
        discontinuities: recording.discontinuities,
        referenceDiscontinuities: reference.discontinuities,
        referenceOffsetSeconds: payload.referenceOffsetSeconds,
      })
      return {
        verdict: result.verdict,
        reason: result.reason,
        lagSeconds: result.lag_s,
        offsetHz: finiteOrNull(result.offset_hz),
        medianSnrDb: finiteOrNull(result.median_snr_db),
        tamperedSpans: result.tampered_spans,
        windows: result.windows.map((w) => ({
          start_s: w.start_s,
          end_s: w.end_s,
          r: finiteOrNull(w.r),
          rmse_hz: finiteOrNull(w.rmse_hz),
          snr_db: finiteOrNull(w.snr_db),
          status: w.status,
        })),
      }
    },
    'enf.verify': async (payload, state, context) => {
      const result = await verifyEnfFingerprint(
        { ledger: createLedgerOverActor(context, state.args.ledgerActor), core: state.core },
        {
          recordingId: payload.recordingId,
          candidatePath: mediaPath(payload.candidatePath, state.args.mediaRoot),
          threshold: payload.threshold,
          trustedHosts: state.args.trustedHosts,
        },
      )
      context.log('enf.verified', {
        recordingId: payload.recordingId,
        passed: result.passed,
        verdict: result.verdict,
      })
      return {
        ...result,
        correlation: Number.isFinite(result.correlation) ? result.correlation : null,
      }
    },
  },
  snapshot: (state) => state.args,
  migrate: (_fromVersion, snapshot) => initState(snapshot as EnfFingerprintArgs),
})
