/**
 * FFT throughput of vigil's WASM core against fft.js (npm, the most used JS
 * FFT), measured side by side in the same process. Shared by `bun run bench
 * fft` and the ENF benchmark, which includes these figures in its own JSON.
 *
 * Fairness: both do a forward transform of real input of size n and produce
 * bins 0..n/2. fft.js runs its `realTransform` (the fast real path, left half
 * only, no `completeSpectrum`) into a preallocated output, in whichever output
 * type (its own Array or a Float64Array) is faster on this machine. The WASM
 * core runs through the public `FftCore.rfft`, so its figure includes copying
 * the input into wasm memory and the spectrum out into two new arrays. Each
 * round alternates the two in short slices; ops/s are the median round, the
 * ratio the median of per-round ratios.
 */
import FFT from 'fft.js'
import type { FftCore } from '../../wasm/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import { percentile } from '../harness/stats.ts'

export const FFT_BENCH_SIZES = [1024, 2048, 4096, 8192, 16_384, 32_768, 65_536] as const

export type FftThroughputOptions = {
  sizes?: readonly number[] | undefined
  /** Rounds per size; each round times both libraries. Default 5. */
  rounds?: number | undefined
  /** Target duration of one library's run within a round, in ms. Default 150. */
  roundMs?: number | undefined
  log?: ((text: string) => void) | undefined
}

export type FftSizeResult = {
  size: number
  wasmOpsPerSecond: number
  fftjsOpsPerSecond: number
  /** wasm ops/s ÷ fft.js ops/s. */
  ratio: number
  /** Which fft.js output buffer was faster (and so was used). */
  fftjsOutput: 'array' | 'float64array'
}

/** Measures both FFTs at each size; returns per-size results and the flat JSON figures. */
export async function measureFftRatios(options: FftThroughputOptions = {}): Promise<{
  results: FftSizeResult[]
  figures: Record<string, number>
}> {
  const sizes = options.sizes ?? FFT_BENCH_SIZES
  const rounds = options.rounds ?? 5
  const roundMs = options.roundMs ?? 150
  const log = options.log ?? (() => {})
  const core = await loadFftCore()
  const results: FftSizeResult[] = []
  log('size      wasm ops/s   fft.js ops/s   ratio')
  for (const size of sizes) {
    const input = new Float64Array(size).map((_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13)
    const fftjs = new FFT(size)
    const outArray = fftjs.createComplexArray()
    const outTyped = new Float64Array(2 * size)
    assertSameSpectrum(core, fftjs, input, size)
    const wasmRun = () => core.rfft(input, size)
    const arrayRun = () => fftjs.realTransform(outArray, input)
    const typedRun = () => fftjs.realTransform(outTyped, input)
    // Pick fft.js's faster output type once, after a warm-up of both.
    const arrayRate = opsPerSecond(arrayRun, roundMs)
    const typedRate = opsPerSecond(typedRun, roundMs)
    const fftjsOutput = typedRate > arrayRate ? 'float64array' : 'array'
    const fftjsRun = fftjsOutput === 'float64array' ? typedRun : arrayRun
    opsPerSecond(wasmRun, roundMs)
    const wasmRates: number[] = []
    const fftjsRates: number[] = []
    const ratios: number[] = []
    for (let round = 0; round < rounds; round++) {
      const [wasmRate, fftjsRate] = pairedRates(wasmRun, fftjsRun, roundMs)
      wasmRates.push(wasmRate)
      fftjsRates.push(fftjsRate)
      ratios.push(wasmRate / fftjsRate)
    }
    const wasmOpsPerSecond = percentile(wasmRates, 50)
    const fftjsOpsPerSecond = percentile(fftjsRates, 50)
    // The median of per-round ratios: each round times both in alternating slices,
    // so a burst of load from other processes hits both sides of a ratio alike.
    const ratio = percentile(ratios, 50)
    results.push({ size, wasmOpsPerSecond, fftjsOpsPerSecond, ratio, fftjsOutput })
    log(
      `${String(size).padEnd(8)}${fmt(wasmOpsPerSecond).padStart(12)}${fmt(fftjsOpsPerSecond).padStart(15)}${ratio.toFixed(2).padStart(8)}×`,
    )
  }
  const figures: Record<string, number> = {}
  for (const r of results) {
    figures[`fft_ratio_vs_fftjs_${r.size}`] = round2(r.ratio)
    figures[`fft_wasm_ops_per_s_${r.size}`] = Math.round(r.wasmOpsPerSecond)
    figures[`fft_fftjs_ops_per_s_${r.size}`] = Math.round(r.fftjsOpsPerSecond)
  }
  return { results, figures }
}

/** Times `a` and `b` in ten alternating slices of ms/20 each; returns both rates (calls/s). */
function pairedRates(a: () => unknown, b: () => unknown, ms: number): [number, number] {
  const slices = 10
  const batchA = calibrate(a)
  const batchB = calibrate(b)
  let callsA = 0
  let callsB = 0
  let timeA = 0
  let timeB = 0
  for (let slice = 0; slice < slices; slice++) {
    const [ca, ta] = timeFor(a, batchA, ms / (2 * slices))
    const [cb, tb] = timeFor(b, batchB, ms / (2 * slices))
    callsA += ca
    timeA += ta
    callsB += cb
    timeB += tb
  }
  return [(callsA * 1000) / timeA, (callsB * 1000) / timeB]
}

/** The smallest power-of-two batch of calls that takes ≥ 1 ms. */
function calibrate(run: () => unknown): number {
  let batch = 1
  for (;;) {
    const start = performance.now()
    for (let i = 0; i < batch; i++) run()
    if (performance.now() - start >= 1) return batch
    batch *= 2
  }
}

/** Runs batches of `run` until `ms` elapsed; returns [calls, elapsed ms]. */
function timeFor(run: () => unknown, batch: number, ms: number): [number, number] {
  let calls = 0
  const start = performance.now()
  let elapsed = 0
  do {
    for (let i = 0; i < batch; i++) run()
    calls += batch
    elapsed = performance.now() - start
  } while (elapsed < ms)
  return [calls, elapsed]
}

/** Times `run` for about `ms` milliseconds; returns calls per second. */
function opsPerSecond(run: () => unknown, ms: number): number {
  // Calibrate a batch that takes ≥ 5 ms so timer resolution does not matter.
  let batch = 1
  for (;;) {
    const start = performance.now()
    for (let i = 0; i < batch; i++) run()
    if (performance.now() - start >= 5) break
    batch *= 2
  }
  let calls = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) run()
    calls += batch
    elapsed = performance.now() - start
  }
  return (calls * 1000) / elapsed
}

/** Refuses to compare the two unless they compute the same spectrum. */
function assertSameSpectrum(core: FftCore, fftjs: FFT, input: Float64Array, size: number): void {
  const out = new Float64Array(2 * size)
  fftjs.realTransform(out, input)
  const { re, im } = core.rfft(input, size)
  let maxDiff = 0
  let scale = 0
  for (let k = 0; k <= size / 2; k++) {
    maxDiff = Math.max(
      maxDiff,
      Math.abs((re[k] as number) - (out[2 * k] as number)),
      Math.abs((im[k] as number) - (out[2 * k + 1] as number)),
    )
    scale = Math.max(scale, Math.abs(re[k] as number), Math.abs(im[k] as number))
  }
  if (maxDiff > 1e-9 * scale) {
    throw new Error(`fft.js and the WASM core disagree at size ${size} (max diff ${maxDiff})`)
  }
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString('en-US')
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
