/**
 * Opens a reference for comparison: an ENF series as CSV (time,frequency),
 * or mains/reference audio (e.g. the 400 Hz ENF-WHU recordings) whose ENF is
 * extracted with the same settings as the recording's.
 */
import type { EnfTrack } from './enf-track.ts'
import { EnfDecodeFailedError } from './errors.ts'
import { type ExtractEnfOptions, extractEnf } from './extract-enf.ts'
import { loadAudio } from './load-audio.ts'
import { looksLikeEnfCsv, readEnfCsv } from './read-enf-csv.ts'
import { isWav } from './read-wav.ts'

/** Loads a reference track from a CSV or an audio/media file. */
export async function loadReference(path: string, options: ExtractEnfOptions): Promise<EnfTrack> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EnfDecodeFailedError(`No such file: ${path}`)
  const head = new Uint8Array(await file.slice(0, 512).arrayBuffer())
  if (!isWav(head) && looksLikeEnfCsv(head)) return readEnfCsv(await file.text())
  return extractEnf(await loadAudio(path, { nominal: options.nominal }), options)
}
