/**
 * Restart-with-backoff for a live ffmpeg input (docs/enf.md, Live, Input
 * failure), shared by the camera's `enf-live` actor and the domain's
 * `enf-grid-reference` actor: a network input (…://, not file:) that dies
 * or ends is read again after `delayMs`, doubling after each attempt up to
 * `maxDelayMs`, back to `delayMs` once a connection has delivered ≥ 10 s of
 * audio. What the input is doing is kept in an `InputSupervision` the actor
 * reports in its status.
 */
import { BaseError, type Clock } from '../../runtime/index.ts'
import { EnfNoAudioError } from './errors.ts'

/** What a supervised input is doing, as an actor's status reports it. */
export type InputSupervision = {
  input: 'starting' | 'running' | 'restarting' | 'ended'
  restarts: number
  /** Wall-clock ms of the next attempt while `restarting`. */
  nextRestartAtMs: number | null
  /** Why the input was lost and when it restarts (or the last failure). */
  lastError: string | null
}

export type RestartInputOptions = {
  supervision: InputSupervision
  /** Restart at all (default for the input: `isNetworkInput`). */
  restart: boolean
  delayMs: number
  maxDelayMs: number
  signal: AbortSignal
  clock: Clock
  /** Seconds of audio delivered so far (all runs). */
  audioSeconds(): number
  /** One run of ffmpeg on the input: returns when it ends, throws when it fails. */
  readOnce(): Promise<void>
  /** The input was lost and will be read again (mark the gap); `message` is also in lastError. */
  onLost(message: string): void
}

/** What both live actors restart from: their input arguments, and their state. */
export type RestartableInput = {
  args: {
    input: string
    restartInput?: boolean | undefined
    restartDelayMs: number
    restartMaxDelayMs: number
  }
  abort: AbortController
  audioSeconds: number
} & InputSupervision

/** Reads an actor's input with restarts, settings taken from its arguments (see {@link runInputWithRestarts}). */
export function superviseInput(
  state: RestartableInput,
  clock: Clock,
  run: Pick<RestartInputOptions, 'readOnce' | 'onLost'>,
): Promise<void> {
  const { args } = state
  return runInputWithRestarts({
    supervision: state,
    restart: args.restartInput ?? isNetworkInput(args.input),
    delayMs: args.restartDelayMs,
    maxDelayMs: args.restartMaxDelayMs,
    signal: state.abort.signal,
    clock,
    audioSeconds: () => state.audioSeconds,
    ...run,
  })
}

/** A URL ffmpeg reads from the network (udp://, rtsp://, http://…), not a file. */
export const isNetworkInput = (input: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(input) && !/^file:/i.test(input)

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** The message without the code and docs lines BaseError appends. */
export const shortErrorText = (error: unknown) =>
  error instanceof BaseError ? `${error.code}: ${error.shortMessage}` : errorText(error)

/** Waits `ms` on the clock, or less if the signal aborts. */
export function abortableDelay(clock: Clock, signal: AbortSignal, ms: number) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clock.clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = clock.setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * Reads the input until it ends for good: returns when a file ends, the signal aborts, or
 * (without restart) the input ends; throws when it fails without restart, or has no audio.
 */
export async function runInputWithRestarts(options: RestartInputOptions): Promise<void> {
  const { supervision: sup, signal, clock } = options
  let delayMs = options.delayMs
  for (;;) {
    const before = options.audioSeconds()
    let failure: unknown
    try {
      await options.readOnce()
    } catch (error) {
      if (!options.restart || error instanceof EnfNoAudioError) throw error
      failure = error
    }
    if (signal.aborted || !options.restart) return
    if (options.audioSeconds() - before >= 10) delayMs = options.delayMs
    sup.restarts++
    sup.input = 'restarting'
    sup.nextRestartAtMs = clock.now() + delayMs
    sup.lastError = `${failure ? shortErrorText(failure) : 'the input ended unexpectedly'}; restarting in ${(delayMs / 1000).toFixed(1)} s`
    options.onLost(sup.lastError)
    await abortableDelay(clock, signal, delayMs)
    delayMs = Math.min(2 * delayMs, options.maxDelayMs)
    sup.nextRestartAtMs = null
    if (signal.aborted) return
  }
}

/**
 * Where a restarted input's first sample goes on the stream clock: the next whole second at or
 * after both the time elapsed since the epoch (× the read rate) and the audio so far, and how
 * many samples of the new input to drop to land there.
 */
export function resumePosition(input: {
  elapsedMs: number
  readRate: number
  audioSeconds: number
  sampleRate: number
}): { atSeconds: number; skipSamples: number } {
  const real = (input.elapsedMs * input.readRate) / 1000
  const atSeconds = Math.max(Math.ceil(real - 1e-9), Math.ceil(input.audioSeconds - 1e-9))
  return { atSeconds, skipSamples: Math.round((atSeconds - real) * input.sampleRate) }
}
