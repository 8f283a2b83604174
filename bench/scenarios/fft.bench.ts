/**
 * `bun run bench fft [--json] [--quick]`: FFT throughput of the WASM core
 * against fft.js at sizes 1,024 to 65,536, side by side, with the ratio per
 * size (target ≥ 2×), and the ENF-shaped STFT/decimation loops as multiples
 * of real time at 1 kHz. `--quick` runs fewer, shorter rounds.
 */
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { measureFftRatios } from './fft-throughput.ts'
import { measureStftThroughput } from './stft-throughput.ts'

export const scenario: BenchScenario = {
  name: 'fft',
  description: 'real FFT throughput: vigil WASM core (rustfft/realfft, SIMD128) vs fft.js 4.0.4',
  async run({ log, args }) {
    const quick = args.includes('--quick')
    const { figures } = await measureFftRatios({
      log,
      rounds: quick ? 3 : 7,
      roundMs: quick ? 60 : 200,
    })
    const stft = await measureStftThroughput({ log, seconds: quick ? 120 : 600 })
    return { ...figures, ...stft }
  },
}
