/**
 * `bun run bench enf [--json] [--quick]`: the ENF pipeline's figures.
 *
 * - FFT throughput of the WASM core against fft.js at 1,024 … 65,536 points,
 *   side by side in this run (measured by bench/scenarios/fft-throughput.ts);
 * - ENF extraction speed as a multiple of real time on 1 kHz, 8 kHz and 44.1 kHz input
 *   (one thread, wall clock; the headline is the best of the runs because the
 *   machine is shared; the median run is reported beside it);
 * - accuracy: RMSE on synthetic hum at 30 dB (1 Hz-band SNR), median error
 *   on the real ENF-WHU 001 recording against its mains reference (after
 *   removing the constant sound-card clock offset);
 * - cuts: the phase-continuity test on the ENF-WHU excerpt with 10 s deleted at 37.0 s;
 * - detection: 30–60 s foreign segments spliced into every ENF-WHU reference
 *   (three donors each) at 20 dB: detection rate and false alarms on authentic
 *   windows (spliced recordings' clean windows and untouched controls). This
 *   needs the full data set ($VIGIL_SHARED_DATA or ../shared/data); without it
 *   the run says so and these figures are null. The other real recordings are
 *   read from tests/fixtures/;
 * - low SNR (docs/enf.md, "Low SNR"): the seeded splice experiment of
 *   actors/enf-fingerprint/testing/low-snr-experiment.ts at 10, 15 and 20 dB,
 *   `--low-snr-trials N` spliced trials and N controls per reference and SNR
 *   (default 8: 240 + 240 per SNR; `--quick` 2). The figures are those of the
 *   even-numbered references (the odd ones calibrated the thresholds; printed
 *   beside them). Needs the full data set too.
 * - live ENF (bench/scenarios/enf-live-figures.ts): CPU of one camera's live
 *   extraction at real time (% of a core, measured at 10× over 30 s of wall
 *   clock and scaled by the audio seconds), checkpoint interval end → receipt
 *   (and cut → receipt) for a camera at real time on a one-validator CometBFT
 *   localnet, and live splice detection at 20/15/10 dB. `--live-only` runs
 *   just this part.
 */
import { cpus, loadavg } from 'node:os'
import {
  compareEnf,
  detectDiscontinuities,
  extractEnf,
} from '../../actors/enf-fingerprint/index.ts'
import {
  findSharedDataDir,
  frameAveragedTruth,
  fullAnalysis,
  type LowSnrResult,
  loadEnfFixture,
  loadEnfWav,
  runLowSnrExperiment,
  runSpliceSuite,
  SHARED_DATA_MISSING,
  synthesizeHum,
  type TrialTally,
  tallyRates,
  whuReference,
} from '../../actors/enf-fingerprint/testing/index.ts'
import { median } from '../../runtime/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { measureLiveFigures } from './enf-live-figures.ts'
import { measureFftRatios } from './fft-throughput.ts'

/** × real time: best run (least disturbed by the other processes on a shared machine) and median run. */
type Speed = { bestX: number; medianX: number }

function measureSpeed(core: FftCore, rate: number, seconds: number, runs: number): Speed {
  const hum = synthesizeHum({
    sampleRate: rate,
    seconds,
    nominal: 50,
    snrDb: 30,
    harmonicAmplitudes: [1, 0.5, 0.3, 0.2],
  })
  extractEnf(hum.audio, { nominal: 50, core }) // warm-up (JIT, wasm buffers)
  const walls: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    extractEnf(hum.audio, { nominal: 50, core })
    walls.push(performance.now() - t0)
  }
  return { bestX: (seconds * 1000) / Math.min(...walls), medianX: (seconds * 1000) / median(walls) }
}

function syntheticRmseMhz(core: FftCore): number {
  const hum = synthesizeHum({ sampleRate: 1000, seconds: 600, nominal: 50, snrDb: 30, seed: 3 })
  const series = extractEnf(hum.audio, { nominal: 50, core })
  const times = Array.from(series.frequency, (_, i) => series.startSeconds + i * series.hopSeconds)
  const truth = frameAveragedTruth(hum.instantaneous, 1000, times, series.frameSeconds)
  let sum = 0
  for (let i = 0; i < truth.length; i++) sum += (series.frequency[i]! - truth[i]!) ** 2
  return 1000 * Math.sqrt(sum / truth.length)
}

async function whu001(core: FftCore) {
  const folder = 'ENFify/notebooks/Wuhan_ENF_data/'
  // Byte-identical copies of the data set's files are carried in tests/fixtures/.
  const recording = extractEnf(await loadEnfFixture(`${folder}down_001.wav`), {
    nominal: 50,
    core,
  })
  const reference = extractEnf(await loadEnfFixture(`${folder}down_001_ref.wav`), {
    nominal: 50,
    core,
  })
  const n = Math.min(recording.frequency.length, reference.frequency.length)
  const diff = Array.from(
    { length: n },
    (_, i) => recording.frequency[i]! - reference.frequency[i]!,
  )
  const offset = median(diff)
  const verdict = compareEnf(recording, reference).verdict
  return {
    medianErrMhz: 1000 * median(diff.map((d) => Math.abs(d - offset))),
    offsetMhz: 1000 * offset,
    verdict,
  }
}

/** Splices into all 30 ENF-WHU references (the full data set); undefined, said in the log, without it. */
async function spliceDetection(core: FftCore, quick: boolean, log: (text: string) => void) {
  if (!findSharedDataDir()) {
    log(`splice detection skipped (its figures are null): ${SHARED_DATA_MISSING}`)
    return undefined
  }
  const suite = await runSpliceSuite({
    core,
    hosts: Array.from({ length: quick ? 10 : 30 }, (_, i) => i + 1),
    donorsPerHost: quick ? 1 : 3,
    snrDb: 20,
    seed: 2026,
    load: (n) => loadEnfWav(whuReference(n)),
  })
  log(
    `${suite.detected}/${suite.cases} spliced segments detected (${(100 * suite.detectionRate).toFixed(1)} %, floor ≥ 95 %); ` +
      `${suite.falseAlarmWindows}/${suite.authenticWindows} authentic windows flagged (${(100 * suite.falseAlarmRate).toFixed(2)} %, floor ≤ 1 %); ` +
      `${suite.controlsNotAuthentic} untouched controls not called authentic`,
  )
  return suite
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits))

function describeTally(t: TrialTally): string {
  return (
    `${t.detected}/${t.splices} splices detected (${t.splicesInconclusive} inconclusive, ${t.spuriousSpans} with a span clear of the splice); ` +
    `${t.falseAlarms}/${t.controls} controls called tampered (${t.controlsInconclusive} inconclusive)`
  )
}

/** The low-SNR splice experiment at 10, 15 and 20 dB; undefined, said in the log, without the full data. */
async function lowSnrDetection(core: FftCore, args: string[], log: (text: string) => void) {
  if (!findSharedDataDir()) {
    log(`low-SNR experiment skipped (its figures are null): ${SHARED_DATA_MISSING}`)
    return undefined
  }
  const flag = args.indexOf('--low-snr-trials')
  const perHost = flag >= 0 ? Number(args[flag + 1]) : args.includes('--quick') ? 2 : 8
  if (!(Number.isInteger(perHost) && perHost >= 1)) {
    throw new Error(`--low-snr-trials needs a whole number ≥ 1, got ${args[flag + 1]}`)
  }
  const t0 = performance.now()
  const results = await runLowSnrExperiment({
    core,
    references: Array.from({ length: 30 }, (_, i) => i + 1),
    perHost,
    snrsDb: [10, 15, 20],
    seed: 15,
    load: (n) => loadEnfWav(whuReference(n)),
    detector: fullAnalysis(core),
  })
  for (const { snrDb, odd, even } of results) {
    log(`${snrDb} dB, evaluation (even references): ${describeTally(even)}`)
    log(`${snrDb} dB, calibration (odd references): ${describeTally(odd)}`)
  }
  log(
    `(${perHost} spliced trials + ${perHost} controls per reference and SNR, ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  )
  return results
}

/** The JSON figures of the low-SNR experiment (evaluation half), null without it. */
function lowSnrFigures(results: LowSnrResult | undefined): Record<string, number | null> {
  const figures: Record<string, number | null> = {}
  for (const snrDb of [10, 15, 20]) {
    const even = results?.find((r) => r.snrDb === snrDb)?.even
    const rates = even ? tallyRates(even) : undefined
    figures[`splice_detection_rate_${snrDb}db`] = rates ? round(rates.detectionRate, 4) : null
    figures[`false_alarm_rate_${snrDb}db`] = rates ? round(rates.falseAlarmRate, 4) : null
    figures[`splice_inconclusive_rate_${snrDb}db`] = rates
      ? round(rates.spliceInconclusiveRate, 4)
      : null
    figures[`control_inconclusive_rate_${snrDb}db`] = rates
      ? round(rates.controlInconclusiveRate, 4)
      : null
    figures[`low_snr_splices_${snrDb}db`] = even?.splices ?? null
    figures[`low_snr_controls_${snrDb}db`] = even?.controls ?? null
  }
  return figures
}

export const scenario: BenchScenario = {
  name: 'enf',
  description:
    'ENF: WASM FFT vs fft.js, extraction speed (× real time), accuracy and splice detection',
  async run({ log, args }) {
    const quick = args.includes('--quick')
    log(
      `# load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')} on ${cpus().length} cores`,
    )
    if (args.includes('--live-only')) {
      log('## Live ENF (one camera: CPU at real time, checkpoint commit on a CometBFT localnet)')
      return {
        ...(await measureLiveFigures({ quick, log })),
        load_average_1m: round(loadavg()[0] ?? 0, 2),
      }
    }
    log('## FFT throughput (WASM core vs fft.js, same run)')
    const { figures: fft } = await measureFftRatios({
      log,
      rounds: quick ? 3 : 5,
      roundMs: quick ? 60 : 150,
    })
    const core = await loadFftCore()
    log('## ENF extraction speed (one thread)')
    const speed1k = measureSpeed(core, 1000, quick ? 600 : 3600, quick ? 3 : 7)
    log(
      `1 kHz: ${speed1k.bestX.toFixed(0)}× real time (best run), ${speed1k.medianX.toFixed(0)}× (median run)`,
    )
    const speed8k = measureSpeed(core, 8000, quick ? 120 : 600, quick ? 3 : 7)
    log(
      `8 kHz: ${speed8k.bestX.toFixed(0)}× real time (best run), ${speed8k.medianX.toFixed(0)}× (median run)`,
    )
    const speed44k = measureSpeed(core, 44100, quick ? 30 : 120, quick ? 3 : 5)
    log(
      `44.1 kHz: ${speed44k.bestX.toFixed(0)}× real time (best run), ${speed44k.medianX.toFixed(0)}× (median run)`,
    )
    log('## Accuracy')
    const rmse = syntheticRmseMhz(core)
    log(`synthetic hum, 30 dB in 1 Hz: RMSE ${rmse.toFixed(3)} mHz (floor ≤ 1)`)
    const real = await whu001(core)
    log(
      `ENF-WHU 001 (down_001 vs down_001_ref): median error ${real.medianErrMhz.toFixed(3)} mHz after a ${real.offsetMhz.toFixed(2)} mHz clock offset (floor ≤ 1); verdict ${real.verdict}`,
    )
    log('## Cut detection (phase continuity)')
    const cutAudio = await loadEnfFixture('ENFify/samples/whu_cut_min_001_ref.wav')
    const cutJumps = detectDiscontinuities(cutAudio, extractEnf(cutAudio, { nominal: 50, core }), {
      core,
    })
    const cutError = cutJumps.length === 1 ? Math.abs(cutJumps[0]!.timeSeconds - 37) : Number.NaN
    log(
      `ENF-WHU cut excerpt (10 s deleted at 37.0 s): ${cutJumps.length} discontinuity found, ${cutError.toFixed(2)} s from the cut`,
    )
    log('## Splice detection (ENF-WHU references, 30–60 s foreign segments, 20 dB)')
    const suite = await spliceDetection(core, quick, log)
    log('## Low SNR (ENF-WHU excerpts, 30–60 s splices and controls at 10 / 15 / 20 dB)')
    const lowSnr = await lowSnrDetection(core, args, log)
    log('## Live ENF (one camera: CPU at real time, checkpoint commit on a CometBFT localnet)')
    const live = await measureLiveFigures({ quick, log })
    return {
      fft_ratio_vs_fftjs_4096: fft.fft_ratio_vs_fftjs_4096 ?? null,
      fft_ratio_vs_fftjs_65536: fft.fft_ratio_vs_fftjs_65536 ?? null,
      enf_x_realtime_1khz: Math.round(speed1k.bestX),
      enf_x_realtime_8khz: Math.round(speed8k.bestX),
      enf_x_realtime_1khz_median: Math.round(speed1k.medianX),
      enf_x_realtime_8khz_median: Math.round(speed8k.medianX),
      enf_x_realtime_44khz: Math.round(speed44k.bestX),
      rmse_mhz_synthetic_30db: round(rmse, 3),
      median_err_mhz_whu001: round(real.medianErrMhz, 3),
      whu001_verdict: real.verdict,
      cut_detected: cutJumps.length === 1 && cutError <= 0.5,
      cut_location_error_s: Number.isFinite(cutError) ? round(cutError, 2) : null,
      splice_detection_rate: suite ? round(suite.detectionRate, 4) : null,
      false_alarm_rate: suite ? round(suite.falseAlarmRate, 5) : null,
      splice_cases: suite?.cases ?? null,
      authentic_windows: suite?.authenticWindows ?? null,
      ...lowSnrFigures(lowSnr),
      ...live,
      fft_figures: fft,
      load_average_1m: round(loadavg()[0] ?? 0, 2),
    }
  },
}
