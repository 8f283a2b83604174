/**
 * What the two live actors (`enf-live` per camera, `enf-grid-reference` per domain) keep about
 * their one ffmpeg input besides its restarts (restart-input.ts): audio read so far, the spans
 * lost, whether the input still runs, and how it is stopped. {@link idleLiveInput} is the state
 * before the first read; {@link runLiveInput} runs the actor's read loop and marks the input
 * ended however the loop leaves.
 */
import type { FftCore } from '../../wasm/index.ts'
import type { Nominal } from './harmonic-folding.ts'
import { createLiveEnfExtractor, type LiveEnfExtractor } from './live-enf-extractor.ts'
import type { InputSupervision } from './restart-input.ts'

/** The input-side state both live actors share (their gaps are in their own units). */
export type LiveInput<Gap> = InputSupervision & {
  running: boolean
  ended: boolean
  /** Seconds of audio delivered so far (all runs of the input). */
  audioSeconds: number
  /** Spans without input audio (the input was lost), oldest first. */
  gaps: Gap[]
  /** Stream time where the audio stopped, until the restarted input's first step arrives. */
  lostAtSeconds: number | null
  abort: AbortController
}

/** A live input that has not been read yet. */
export function idleLiveInput<Gap>(): LiveInput<Gap> {
  return {
    input: 'starting',
    restarts: 0,
    nextRestartAtMs: null,
    lastError: null,
    running: false,
    ended: false,
    audioSeconds: 0,
    gaps: [],
    lostAtSeconds: null,
    abort: new AbortController(),
  }
}

/** What of a live actor's arguments decides how its audio is read and analysed. */
export type LiveAnalysisArgs = {
  readonly nominal: Nominal
  readonly sampleRate?: number | undefined
  readonly frameSeconds?: number | undefined
}

/** The rate a live actor reads its input at: its `sampleRate`, else 20× the mains frequency. */
export const liveSampleRate = (args: LiveAnalysisArgs): number =>
  args.sampleRate ?? 20 * args.nominal

/** A fresh extractor for each run of the input, set up from the actor's arguments. */
export function liveExtractorFactory(
  args: LiveAnalysisArgs,
  core: FftCore,
): () => LiveEnfExtractor {
  const sampleRate = liveSampleRate(args)
  return () =>
    createLiveEnfExtractor({
      nominal: args.nominal,
      sampleRate,
      core,
      frameSeconds: args.frameSeconds,
    })
}

/** The message of a failure, for status and logs. */
export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

/**
 * Runs `readLoop` in the background: a failure is kept in `lastError` and passed to `onFailed`;
 * when the loop leaves (ended, failed or aborted) the input is `ended` and `onEnded` runs.
 */
export function runLiveInput(
  state: LiveInput<unknown>,
  readLoop: () => Promise<void>,
  onFailed: (message: string) => void,
  onEnded?: () => void,
): void {
  readLoop()
    .catch((error: unknown) => {
      state.lastError = errorText(error)
      onFailed(state.lastError)
    })
    .finally(() => {
      state.running = false
      state.ended = true
      state.input = 'ended'
      onEnded?.()
    })
}
