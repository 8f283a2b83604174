/**
 * Opens a reference for comparison: an ENF series as CSV (time,frequency),
 * or mains/reference audio (e.g. the 400 Hz ENF-WHU recordings) whose ENF is
 * extracted with the same settings as the recording's.
 */
import {
  type Discontinuity,
  detectDiscontinuities,
  REFERENCE_DISCONTINUITY_OPTIONS,
} from './detect-discontinuities.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfDecodeFailedError } from './errors.ts'
import { type ExtractEnfOptions, extractEnf } from './extract-enf.ts'
import { loadAudio } from './load-audio.ts'
import { looksLikeEnfCsv, readEnfCsv } from './read-enf-csv.ts'
import { isWav } from './read-wav.ts'

/** A loaded reference: its ENF track and, for audio, the phase jumps of its hum. */
export type LoadedTrack = {
  track: EnfTrack
  discontinuities: Discontinuity[]
}

/**
 * Loads a track from a time,frequency CSV or an audio/media file (extracting its ENF and phase
 * jumps; a `reference` also reports its disturbances, see REFERENCE_DISCONTINUITY_OPTIONS).
 */
export async function loadRecordingOrSeries(
  path: string,
  options: ExtractEnfOptions,
  role: 'recording' | 'reference' = 'recording',
): Promise<LoadedTrack> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EnfDecodeFailedError('The recording file does not exist')
  const head = new Uint8Array(await file.slice(0, 512).arrayBuffer())
  if (!isWav(head) && looksLikeEnfCsv(head)) {
    return { track: readEnfCsv(await file.text()), discontinuities: [] }
  }
  const audio = await loadAudio(path, { nominal: options.nominal })
  const series = extractEnf(audio, options)
  return {
    track: series,
    discontinuities: detectDiscontinuities(audio, series, {
      core: options.core,
      ...(role === 'reference' ? REFERENCE_DISCONTINUITY_OPTIONS : {}),
    }),
  }
}

/** Loads a reference track from a CSV or an audio/media file. */
export async function loadReference(path: string, options: ExtractEnfOptions): Promise<EnfTrack> {
  return (await loadRecordingOrSeries(path, options, 'reference')).track
}
