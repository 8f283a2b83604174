/**
 * The grid-reference actor (one per domain, docs/enf.md, Live): extracts the
 * ENF of a mains-connected reference input (a 400 Hz mains recording played
 * as a stream, or a live audio input) incrementally, keeps the last
 * `retainSeconds` of it on the wall clock, and answers the series for a time
 * range (`enfref.series`), waiting a bounded time for the range's end when
 * asked to. A network input that dies or ends is restarted with backoff as
 * the camera's is (restart-input.ts); the time without audio is a gap:
 * status `gaps`, and a series covering it names it (`gaps`, placeholders
 * not valid), so detection calls that span inconclusive instead of
 * alerting. A file input that ends or fails ends it (status says why);
 * what was extracted stays available.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import type { LiveEnfExtractor } from './live-enf-extractor.ts'
import { idleLiveInput, type LiveInput, liveExtractorFactory, runLiveInput } from './live-input.ts'
import {
  type GridReferenceArgs,
  gridReferenceArgs,
  gridReferenceProtocol,
} from './live-protocol.ts'
import { readLiveAudio } from './read-live-audio.ts'
import {
  createReferenceSeriesStore,
  type ReferenceGap,
  type ReferenceSeriesStore,
} from './reference-series-store.ts'
import { resumePosition, superviseInput } from './restart-input.ts'

type Waiter = { untilMs: number; wake: () => void }

/** The input's gaps are wall-clock spans. */
type State = LiveInput<ReferenceGap> & {
  args: ReturnType<typeof gridReferenceArgs.parse>
  store: ReferenceSeriesStore | undefined
  epochMs: number | null
  waiters: Set<Waiter>
}

const KEEP_GAPS = 100

/** Wakes the waiters the store now covers (a restart's first step covers the gap before it). */
function wakeCovered(state: State): void {
  for (const waiter of state.waiters) {
    if (state.ended || (state.store && state.store.coveredUntilMs >= waiter.untilMs)) waiter.wake()
  }
}

/** A restarted input's time 0 is now on the stream clock: where its samples go, and the gap. */
function resumeAfterGap(state: State, ctx: ActorContext, sampleRate: number) {
  const epochMs = state.epochMs!
  const position = resumePosition({
    elapsedMs: ctx.clock.now() - epochMs,
    readRate: state.args.readRate ?? 1,
    audioSeconds: state.audioSeconds,
    sampleRate,
  })
  const fromSeconds = state.lostAtSeconds ?? position.atSeconds
  state.gaps.push({
    fromMs: Math.round(epochMs + fromSeconds * 1000),
    toMs: epochMs + position.atSeconds * 1000,
  })
  if (state.gaps.length > KEEP_GAPS) state.gaps.shift()
  ctx.log('enfref.input_resumed', { atSeconds: position.atSeconds })
  return position
}

/** One run of ffmpeg on the input, with a fresh extractor: until it ends (returns) or fails (throws). */
async function readOnce(state: State, ctx: ActorContext, extractor: LiveEnfExtractor) {
  const { args } = state
  const sampleRate = extractor.sampleRate
  let skip = -1
  let offsetSeconds = 0
  let samples = 0
  for await (const chunk of readLiveAudio(args.input, {
    sampleRate,
    readRate: args.readRate,
    signal: state.abort.signal,
  })) {
    state.input = 'running'
    if (state.epochMs === null) {
      state.epochMs = args.epochMs ?? ctx.clock.now()
      state.store = createReferenceSeriesStore({
        epochMs: state.epochMs,
        hopSeconds: extractor.hopSeconds,
        retainSeconds: args.retainSeconds,
      })
      skip = 0
    } else if (skip < 0) {
      const position = resumeAfterGap(state, ctx, sampleRate)
      offsetSeconds = position.atSeconds
      skip = position.skipSamples
    }
    const take = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk
    skip = Math.max(0, skip - chunk.length)
    if (take.length === 0) continue
    samples += take.length
    state.audioSeconds = offsetSeconds + samples / sampleRate
    const steps = extractor.push(take)
    if (steps.length) {
      state.store!.append(steps, offsetSeconds)
      state.lostAtSeconds = null
      wakeCovered(state)
    }
  }
}

async function pump(state: State, ctx: ActorContext): Promise<void> {
  const { args } = state
  const newExtractor = liveExtractorFactory(args, await loadFftCore())
  state.running = true
  await superviseInput(state, ctx.clock, {
    readOnce: () => readOnce(state, ctx, newExtractor()),
    onLost: (message) => {
      state.lostAtSeconds ??= state.audioSeconds
      ctx.log('enfref.input_lost', { error: message })
    },
  })
}

/** Waits until the store reaches `untilMs`, the input ends, or `waitMs` passes. */
function waitFor(state: State, ctx: ActorContext, untilMs: number, waitMs: number): Promise<void> {
  const covered = state.store?.coveredUntilMs ?? Number.NEGATIVE_INFINITY
  if (waitMs === 0 || state.ended || covered >= untilMs) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const waiter: Waiter = {
      untilMs,
      wake: () => {
        ctx.clock.clearTimeout(timer)
        state.waiters.delete(waiter)
        resolve()
      },
    }
    const timer = ctx.clock.setTimeout(() => waiter.wake(), waitMs)
    state.waiters.add(waiter)
  })
}

/**
 * The stored series for [fromMs, toMs]; while the input is lost (until the restarted input's
 * first step), the range beyond the last step is a gap too: no data is known for it yet.
 */
function seriesWithOpenGap(state: State, fromMs: number, toMs: number) {
  const series = state.store?.series(fromMs, toMs) ?? null
  if (!series || state.lostAtSeconds === null) return series
  const fromGapMs = series.startMs + series.frequencyHz.length * series.hopMs
  if (toMs < fromGapMs) return series
  return { ...series, gaps: [...(series.gaps ?? []), { fromMs: fromGapMs, toMs }] }
}

/** `enf-grid-reference`: the domain's mains reference ENF, by time range. */
export const gridReferenceActor = defineActor<
  State,
  typeof gridReferenceProtocol,
  GridReferenceArgs
>({
  name: 'enf-grid-reference',
  version: 1,
  protocol: gridReferenceProtocol,
  init: (raw, ctx) => {
    const state: State = {
      ...idleLiveInput<ReferenceGap>(),
      args: gridReferenceArgs.parse(raw),
      store: undefined,
      epochMs: null,
      waiters: new Set(),
    }
    runLiveInput(
      state,
      () => pump(state, ctx),
      (error) => ctx.log('enfref.input_failed', { error }),
      () => wakeCovered(state),
    )
    return state
  },
  receive: {
    'enfref.series': async (p, state, ctx) => {
      await waitFor(state, ctx, p.toMs, p.waitMs)
      const covered = state.store?.coveredUntilMs
      return {
        series: seriesWithOpenGap(state, p.fromMs, p.toMs),
        coveredUntilMs: covered !== undefined && Number.isFinite(covered) ? covered : null,
      }
    },
    'enfref.status': (_p, state) => {
      const covered = state.store?.coveredUntilMs
      return {
        running: state.running,
        ended: state.ended,
        lastError: state.lastError,
        input: state.input,
        restarts: state.restarts,
        gaps: state.gaps.slice(-20),
        nextRestartAtMs: state.nextRestartAtMs,
        steps: state.store?.length ?? 0,
        firstMs: state.store?.length ? state.store.firstMs : null,
        coveredUntilMs: covered !== undefined && Number.isFinite(covered) ? covered : null,
      }
    },
  },
  terminate: (state) => {
    state.abort.abort('the grid reference actor stopped')
  },
})
