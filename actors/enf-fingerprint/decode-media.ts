/**
 * Audio from any media file (video, compressed audio) through Debian's ffmpeg,
 * piped as raw mono float32 PCM: `ffmpeg -i <file> -vn -ac 1 -ar <rate> -f f32le -`.
 * The binary comes from VIGIL_FFMPEG_BIN or PATH. Failures are typed:
 * ffmpeg missing or failing → ENF_DECODE_FAILED, no audio stream → ENF_NO_AUDIO.
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
    throw new EnfDecodeFailedError('ffmpeg is not installed', {
      details: 'Install it (apt-get install ffmpeg) or set VIGIL_FFMPEG_BIN to its path.',
    })
  }
  const args = [ffmpeg, '-nostdin', '-v', 'error', '-i', path, '-vn', '-map', '0:a:0']
  args.push('-ac', '1', '-ar', String(options.sampleRate), '-f', 'f32le', '-')
  let child: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>
  try {
    child = Bun.spawn(args, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  } catch (cause) {
    throw new EnfDecodeFailedError(`ffmpeg could not be started (${ffmpeg})`, { cause })
  }
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).arrayBuffer(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  const message = stderr.trim().split('\n').slice(-3).join(' ')
  if (exitCode !== 0) {
    if (
      /matches no streams|does not contain any stream|Output file .* does not contain/i.test(stderr)
    ) {
      throw new EnfNoAudioError(`The file has no audio stream: ${path}`, { details: message })
    }
    throw new EnfDecodeFailedError(`ffmpeg could not decode ${path} (exit ${exitCode})`, {
      details: message || 'no diagnostic from ffmpeg',
      meta: { exitCode },
    })
  }
  const floats = new Float32Array(stdout, 0, Math.floor(stdout.byteLength / 4))
  if (floats.length === 0)
    throw new EnfNoAudioError(`The file decoded to no audio samples: ${path}`)
  return { sampleRate: options.sampleRate, samples: Float64Array.from(floats) }
}
