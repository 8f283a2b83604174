/**
 * Audio from any media file (video, compressed audio) through Debian's ffmpeg,
 * piped as raw mono float32 PCM: `ffmpeg -i <file> -vn -ac 1 -ar <rate> -f f32le -`.
 * The binary comes from VIGIL_FFMPEG_BIN or PATH. Failures are typed:
 * ffmpeg missing or failing → ENF_DECODE_FAILED, no audio stream → ENF_NO_AUDIO.
 * Errors name neither the file nor what ffmpeg printed (its diagnostics quote
 * the file's metadata and paths, which a caller may not see): only the exit code.
 */
import { EnfDecodeFailedError, EnfNoAudioError } from './errors.ts'
import type { MonoAudio } from './read-wav.ts'

export type DecodeMediaOptions = {
  /** Output rate (Hz); ffmpeg's resampler does the anti-aliasing. */
  sampleRate: number
  /** ffmpeg binary (default $VIGIL_FFMPEG_BIN or `ffmpeg` on PATH). */
  ffmpegPath?: string | undefined
}

/** Decodes the first audio stream of `path` to mono PCM at `sampleRate`. */
export async function decodeMedia(path: string, options: DecodeMediaOptions): Promise<MonoAudio> {
  const ffmpeg = options.ffmpegPath ?? process.env.VIGIL_FFMPEG_BIN ?? Bun.which('ffmpeg')
  if (!ffmpeg) {
    // The hint is in the message: the actor boundary drops `details`.
    throw new EnfDecodeFailedError(
      'ffmpeg is not installed: install it (apt-get install ffmpeg) or set VIGIL_FFMPEG_BIN to its path',
    )
  }
  const args = [ffmpeg, '-nostdin', '-v', 'error', '-i', path, '-vn', '-map', '0:a:0']
  args.push('-ac', '1', '-ar', String(options.sampleRate), '-f', 'f32le', '-')
  let child: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>
  try {
    child = Bun.spawn(args, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  } catch (cause) {
    throw new EnfDecodeFailedError(`ffmpeg could not be started (${ffmpeg})`, {
      details: cause instanceof Error ? cause.name : undefined,
    })
  }
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).arrayBuffer(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  if (exitCode !== 0) {
    if (
      /matches no streams|does not contain any stream|Output file .* does not contain/i.test(stderr)
    ) {
      throw new EnfNoAudioError('The media file has no audio stream')
    }
    throw new EnfDecodeFailedError(
      `ffmpeg could not decode the media file (exit ${exitCode}): it is damaged or not audio/video`,
      { meta: { exitCode } },
    )
  }
  const floats = new Float32Array(stdout, 0, Math.floor(stdout.byteLength / 4))
  if (floats.length === 0) throw new EnfNoAudioError('The media file decoded to no audio samples')
  return { sampleRate: options.sampleRate, samples: Float64Array.from(floats) }
}
