/**
 * Speed of the WASM core's ENF-shaped hot loops as multiples of real time on
 * 1 kHz input (one core): the full-rate STFT (16 s Hann frames, 1 s hop,
 * nfft 65536 = 4× zero-padding) and the band-pass-and-decimate path
 * (firResample 49–51 Hz, 2751 taps, 1 kHz → 8 Hz) followed by a small STFT
 * (16 s frames, nfft 1024). Shared by `bun run bench fft` and the ENF bench.
 */

import { median } from '../../runtime/index.ts'
import { designBandpassFir, loadFftCore } from '../../wasm/index.ts'

export type StftThroughputOptions = {
  /** Seconds of 1 kHz audio per run; default 600. */
  seconds?: number | undefined
  /** Runs per measurement (median reported); default 3. */
  runs?: number | undefined
  log?: ((text: string) => void) | undefined
}

/** Measures both paths; returns figures `stft_x_realtime_1khz_nfft65536` and `fir_decimate_stft_x_realtime_1khz`. */
export async function measureStftThroughput(
  options: StftThroughputOptions = {},
): Promise<Record<string, number>> {
  const seconds = options.seconds ?? 600
  const runs = options.runs ?? 3
  const log = options.log ?? (() => {})
  const core = await loadFftCore()
  const fs = 1000
  // A wandering 50 Hz hum plus an interfering tone; content does not change the cost.
  const signal = new Float64Array(fs * seconds).map(
    (_, n) =>
      Math.cos((2 * Math.PI * 50 * n) / fs + 0.3 * Math.sin(n / 50_000)) + 0.1 * Math.sin(n * 1.7),
  )
  const taps = designBandpassFir({ sampleRate: fs, lowHz: 49, highHz: 51, length: 2751 })

  const fullRate = medianMs(runs, () =>
    core.stftBandPower(signal, {
      frameLength: 16 * fs,
      hop: fs,
      nfft: 65_536,
      window: 'hann',
      binLo: 3211,
      binHi: 3342,
    }),
  )
  const decimated = medianMs(runs, () => {
    const narrow = core.firResample(signal, { taps, down: 125 })
    return core.stftBandPower(narrow, {
      frameLength: 128,
      hop: 8,
      nfft: 1024,
      window: 'hann',
      binLo: 0,
      binHi: 513,
    })
  })
  const figures = {
    stft_x_realtime_1khz_nfft65536: Math.round((seconds * 1000) / fullRate),
    fir_decimate_stft_x_realtime_1khz: Math.round((seconds * 1000) / decimated),
  }
  log(
    `STFT 16 s frames, 1 s hop, nfft 65536 at 1 kHz: ${fullRate.toFixed(1)} ms for ${seconds} s → ${figures.stft_x_realtime_1khz_nfft65536}× real time`,
  )
  log(
    `firResample 49–51 Hz → 8 Hz + STFT nfft 1024: ${decimated.toFixed(1)} ms for ${seconds} s → ${figures.fir_decimate_stft_x_realtime_1khz}× real time`,
  )
  return figures
}

function medianMs(runs: number, run: () => unknown): number {
  run()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    run()
    times.push(performance.now() - start)
  }
  return median(times)
}
