/**
 * The grid-reference actor (one per domain, docs/enf.md, Live): extracts the
 * ENF of a mains-connected reference input (a 400 Hz mains recording played
 * as a stream, or a live audio input) incrementally, keeps the last
 * `retainSeconds` of it on the wall clock, and answers the series for a time
 * range (`enfref.series`), waiting a bounded time for the range's end when
 * asked to. The input ending or failing is reported by `enfref.status`; what
 * was extracted stays available.
 */
import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import { createLiveEnfExtractor } from './live-enf-extractor.ts'
import {
  type GridReferenceArgs,
  gridReferenceArgs,
  gridReferenceProtocol,
} from './live-protocol.ts'
import { readLiveAudio } from './read-live-audio.ts'
import { createReferenceSeriesStore, type ReferenceSeriesStore } from './reference-series-store.ts'

type Waiter = { untilMs: number; wake: () => void }

type State = {
  args: ReturnType<typeof gridReferenceArgs.parse>
  store: ReferenceSeriesStore | undefined
  running: boolean
  ended: boolean
  lastError: string | null
  abort: AbortController
  waiters: Set<Waiter>
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

function wakeCovered(state: State): void {
  for (const waiter of state.waiters) {
    if (state.ended || (state.store && state.store.coveredUntilMs >= waiter.untilMs)) waiter.wake()
  }
}

async function pump(state: State, ctx: ActorContext): Promise<void> {
  const { args } = state
  try {
    const core = await loadFftCore()
    const sampleRate = args.sampleRate ?? 20 * args.nominal
    const extractor = createLiveEnfExtractor({
      nominal: args.nominal,
      sampleRate,
      core,
      frameSeconds: args.frameSeconds,
    })
    const audio = readLiveAudio(args.input, {
      sampleRate,
      readRate: args.readRate,
      signal: state.abort.signal,
    })
    state.running = true
    for await (const chunk of audio) {
      state.store ??= createReferenceSeriesStore({
        epochMs: args.epochMs ?? ctx.clock.now(),
        hopSeconds: extractor.hopSeconds,
        retainSeconds: args.retainSeconds,
      })
      const steps = extractor.push(chunk)
      if (steps.length) {
        state.store.append(steps)
        wakeCovered(state)
      }
    }
  } catch (error) {
    state.lastError = errorText(error)
    ctx.log('enfref.input_failed', { error: state.lastError })
  } finally {
    state.running = false
    state.ended = true
    wakeCovered(state)
  }
}

/** Waits until the store reaches `untilMs`, the input ends, or `waitMs` passes. */
function waitFor(state: State, ctx: ActorContext, untilMs: number, waitMs: number): Promise<void> {
  if (waitMs === 0 || state.ended || (state.store?.coveredUntilMs ?? -Infinity) >= untilMs) {
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
      args: gridReferenceArgs.parse(raw),
      store: undefined,
      running: false,
      ended: false,
      lastError: null,
      abort: new AbortController(),
      waiters: new Set(),
    }
    void pump(state, ctx)
    return state
  },
  receive: {
    'enfref.series': async (p, state, ctx) => {
      await waitFor(state, ctx, p.toMs, p.waitMs)
      const covered = state.store?.coveredUntilMs
      return {
        series: state.store?.series(p.fromMs, p.toMs) ?? null,
        coveredUntilMs: covered !== undefined && Number.isFinite(covered) ? covered : null,
      }
    },
    'enfref.status': (_p, state) => {
      const covered = state.store?.coveredUntilMs
      return {
        running: state.running,
        ended: state.ended,
        lastError: state.lastError,
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
