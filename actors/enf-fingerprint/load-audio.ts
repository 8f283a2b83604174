/**
 * Opens a recording for ENF work: WAV files are parsed directly (any rate, the
 * extractor decimates); anything else, and WAV encodings the parser does not
 * read, goes through ffmpeg at a rate that keeps the harmonics ENF uses.
 */
import { decodeMedia } from './decode-media.ts'
import { EnfDecodeFailedError, EnfUnsupportedFormatError } from './errors.ts'
import type { Nominal } from './extract-enf.ts'
import { isWav, type MonoAudio, readWav } from './read-wav.ts'

export type LoadAudioOptions = {
  nominal: Nominal
  ffmpegPath?: string | undefined
}

/** Reads `path` as mono audio (WAV natively, other media through ffmpeg). */
export async function loadAudio(path: string, options: LoadAudioOptions): Promise<MonoAudio> {
  const file = Bun.file(path)
  if (!(await file.exists())) {
    throw new EnfDecodeFailedError(`No such file: ${path}`)
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  if (isWav(bytes)) {
    try {
      return readWav(bytes)
    } catch (error) {
      if (!EnfUnsupportedFormatError.is(error)) throw error
    }
  }
  // 20 samples per nominal cycle: the extractor's working rate, harmonics 1–6 kept.
  return decodeMedia(path, { sampleRate: 20 * options.nominal, ffmpegPath: options.ffmpegPath })
}
