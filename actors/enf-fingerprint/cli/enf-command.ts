/**
 * `vigil enf extract` and `vigil enf compare`: ENF extraction and tamper
 * detection from the command line. With --json each prints exactly one JSON
 * object on stdout; without it, a readable summary (extract: a
 * time,frequency CSV that `compare` accepts as a reference).
 */
import type { Command, CommandContext } from '../../../runtime/index.ts'
import { loadFftCore } from '../../../wasm/index.ts'
import { assertEnfPresent } from '../assert-enf-present.ts'
import { compareEnf } from '../compare-enf.ts'
import { EnfInvalidParameterError } from '../errors.ts'
import { extractEnf, type Nominal } from '../extract-enf.ts'
import { loadAudio } from '../load-audio.ts'
import { loadRecordingOrSeries } from '../load-reference.ts'
import { formatEnfCsv } from '../read-enf-csv.ts'

const commonOptions = {
  nominal: { type: 'string', description: 'grid nominal frequency, 50 or 60 Hz', default: '50' },
  frame: { type: 'string', description: 'STFT frame length in seconds', default: '20' },
  json: { type: 'boolean', description: 'print one JSON object' },
} as const

function parseNominal(value: unknown): Nominal {
  if (value === '50' || value === '60') return Number(value) as Nominal
  throw new EnfInvalidParameterError(`--nominal must be 50 or 60, got ${String(value)}`)
}

function parseSeconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new EnfInvalidParameterError(
      `--${name} must be a positive number of seconds, got ${String(value)}`,
    )
  }
  return seconds
}

function parseOffset(value: unknown): number {
  const seconds = Number(value ?? 0)
  if (!Number.isFinite(seconds)) {
    throw new EnfInvalidParameterError(`--at must be a number of seconds, got ${String(value)}`)
  }
  return seconds
}

function requirePositionals(context: CommandContext, count: number, usage: string): string[] {
  if (context.positionals.length !== count) {
    throw new EnfInvalidParameterError(
      `Expected ${usage}, got ${context.positionals.length} argument(s)`,
    )
  }
  return context.positionals
}

const round = (value: number, digits: number) =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null

const extractCommand: Command = {
  name: 'extract',
  summary: 'extract the ENF series of a recording (WAV, or any media through ffmpeg)',
  usage: '<file> [--nominal 50|60] [--frame <s>] [--json]',
  options: commonOptions,
  async run(context) {
    const [file] = requirePositionals(context, 1, '<file>')
    const nominal = parseNominal(context.values.nominal)
    const frameSeconds = parseSeconds('frame', context.values.frame, 20)
    const core = await loadFftCore()
    const audio = await loadAudio(file!, { nominal })
    const series = extractEnf(audio, { nominal, core, frameSeconds })
    const presence = assertEnfPresent(series)
    if (context.values.json) {
      context.out(
        JSON.stringify({
          file,
          nominal,
          sampleRate: audio.sampleRate,
          durationSeconds: round(audio.samples.length / audio.sampleRate, 3),
          frameSeconds,
          hopSeconds: series.hopSeconds,
          startSeconds: series.startSeconds,
          validFraction: round(presence.validFraction, 4),
          medianSnrDb: round(presence.medianSnrDb, 2),
          harmonics: series.harmonics.map((h) => ({
            harmonic: h.harmonic,
            usedFraction: round(h.usedFraction, 4),
            medianSnrDb: round(h.medianSnrDb, 2),
          })),
          series: Array.from(series.frequency, (f, i) => ({
            timeSeconds: series.startSeconds + i * series.hopSeconds,
            frequencyHz: round(f, 6),
            snrDb: round(series.snrDb[i]!, 2),
            valid: series.valid[i] === 1,
          })),
        }),
      )
      return 0
    }
    context.err(
      `# ${file}: ${audio.sampleRate} Hz, ${(audio.samples.length / audio.sampleRate).toFixed(1)} s, nominal ${nominal} Hz, ` +
        `${(100 * presence.validFraction).toFixed(0)} % valid, median SNR ${presence.medianSnrDb.toFixed(1)} dB`,
    )
    context.out(formatEnfCsv(series).trimEnd())
    return 0
  },
}

const compareCommand: Command = {
  name: 'compare',
  summary:
    'compare a recording’s ENF with a reference (audio or time,frequency CSV): authentic, tampered or inconclusive',
  usage: '<recording> <reference> [--nominal 50|60] [--json]',
  options: {
    ...commonOptions,
    window: { type: 'string', description: 'localisation window in seconds', default: '30' },
    step: { type: 'string', description: 'window step in seconds', default: '5' },
    'max-lag': { type: 'string', description: 'alignment search range in seconds', default: '10' },
    at: {
      type: 'string',
      description:
        'reference time (s) where the recording starts, e.g. its Unix start time for a grid CSV',
      default: '0',
    },
  },
  async run(context) {
    const [recordingPath, referencePath] = requirePositionals(context, 2, '<recording> <reference>')
    const nominal = parseNominal(context.values.nominal)
    const frameSeconds = parseSeconds('frame', context.values.frame, 20)
    const windowSeconds = parseSeconds('window', context.values.window, 30)
    const core = await loadFftCore()
    const options = { nominal, core, frameSeconds }
    const recording = await loadRecordingOrSeries(recordingPath!, options)
    const reference = await loadRecordingOrSeries(referencePath!, options, 'reference')
    const result = compareEnf(recording.track, reference.track, {
      discontinuities: recording.discontinuities,
      referenceDiscontinuities: reference.discontinuities,
      windowSeconds,
      stepSeconds: parseSeconds('step', context.values.step, 5),
      longWindowSeconds: Math.max(60, 2 * windowSeconds),
      maxLagSeconds: parseSeconds('max-lag', context.values['max-lag'], 10),
      referenceOffsetSeconds: parseOffset(context.values.at),
    })
    if (context.values.json) {
      context.out(
        JSON.stringify(
          { recording: recordingPath, reference: referencePath, nominal, ...result },
          jsonNumbers,
        ),
      )
      return 0
    }
    context.out(`verdict: ${result.verdict}`)
    context.out(`reason:  ${result.reason}`)
    context.out(
      `lag ${result.lagSeconds} s, offset ${(result.offsetHz * 1000).toFixed(2)} mHz, tolerance ${(result.toleranceHz * 1000).toFixed(2)} mHz, median SNR ${result.medianSnrDb.toFixed(1)} dB`,
    )
    for (const span of result.tamperedSpans) {
      context.out(
        `tampered: ${span.startSeconds}–${span.endSeconds} s (${span.kind}, ${span.windows} windows)`,
      )
    }
    context.out('window_s        r      rDiff  rmse_mHz  snr_dB  status')
    for (const w of result.windows) {
      context.out(
        `${`${w.startSeconds}–${w.endSeconds}`.padEnd(12)} ${fixed(w.r, 3).padStart(7)} ${fixed(w.rDiff, 3).padStart(7)} ${fixed(w.rmseHz * 1000, 2).padStart(9)} ${fixed(w.snrDb, 1).padStart(7)}  ${w.status}`,
      )
    }
    return 0
  },
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–'
}

/** JSON has no NaN/Infinity: write them as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value
}

/** The `vigil enf` command group. */
export const enfCommand: Command = {
  name: 'enf',
  summary: 'electrical network frequency: extract, compare with the grid reference',
  subcommands: [extractCommand, compareCommand],
}
