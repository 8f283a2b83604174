/**
 * Opens a recording for ENF work: WAV files are parsed directly (any rate, the
 * extractor decimates); anything else, WAV encodings the parser does not read
 * and WAVs over 64 MiB go through ffmpeg at the working rate (20 × nominal),
 * which keeps the harmonics ENF uses and bounds memory.
 */
import { decodeMedia } from './decode-media.ts'
import { EnfDecodeFailedError, EnfUnsupportedFormatError } from './errors.ts'
import type { Nominal } from './extract-enf.ts'
import { isWav, type MonoAudio, readWav } from './read-wav.ts'

export type LoadAudioOptions = {
  nominal: Nominal
  ffmpegPath?: string | undefined
}

/** WAV files above this size go through ffmpeg, which hands over only the working rate (bounded memory). */
const LARGE_WAV_BYTES = 64 * 2 ** 20

/** Reads `path` as mono audio (WAV natively, other media and very large WAVs through ffmpeg). */
export async function loadAudio(path: string, options: LoadAudioOptions): Promise<MonoAudio> {
  const file = Bun.file(path)
  if (!(await file.exists())) {
    throw new EnfDecodeFailedError('The recording file does not exist')
  }
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer())
  if (isWav(head) && file.size <= LARGE_WAV_BYTES) {
    try {
      return readWav(new Uint8Array(await file.arrayBuffer()))
    } catch (error) {
      if (!EnfUnsupportedFormatError.is(error)) throw error
    }
  }
  // 20 samples per nominal cycle: the extractor's working rate, harmonics 1–6 kept.
  return decodeMedia(path, { sampleRate: 20 * options.nominal, ffmpegPath: options.ffmpegPath })
}
