/**
 * The audio track of any ffmpeg input (a file, `udp://`, `rtsp://`, `http://`)
 * as mono float PCM at a chosen rate, chunk by chunk as ffmpeg delivers it:
 * `ffmpeg [-readrate r] -i <input> -vn -map 0:a:0 -ac 1 -ar <rate> -f f32le -`.
 * `readRate` 1 plays a file at real time (ffmpeg's `-re`), 10 at ten times
 * real time (for tests and benches); absent, ffmpeg reads as fast as the
 * input gives (a live URL paces itself). No audio stream → ENF_NO_AUDIO;
 * ffmpeg missing or failing before any audio → ENF_DECODE_FAILED; ffmpeg
 * killed or failing after audio arrived → ENF_INPUT_LOST (an input that
 * simply ends, exit 0, ends the generator). Aborting kills ffmpeg.
 */
import { EnfDecodeFailedError, EnfInputLostError, EnfNoAudioError } from './errors.ts'

export type ReadLiveAudioOptions = {
  sampleRate: number
  readRate?: number | undefined
  signal?: AbortSignal | undefined
  ffmpegPath?: string | undefined
  /** Called once ffmpeg runs, with its process (its CPU time is the bench's decode cost). */
  onSpawn?:
    | ((child: { pid: number; exited: Promise<number>; resourceUsage(): unknown }) => void)
    | undefined
}

function ffmpegArgs(ffmpeg: string, input: string, options: ReadLiveAudioOptions): string[] {
  const rate = options.readRate
  return [
    ffmpeg,
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    ...(rate === undefined ? [] : rate === 1 ? ['-re'] : ['-readrate', String(rate)]),
    '-i',
    input,
    '-vn',
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    String(options.sampleRate),
    '-f',
    'f32le',
    // Write each packet as it is decoded: no output buffer holding seconds of a live stream.
    '-flush_packets',
    '1',
    'pipe:1',
  ]
}

const NO_AUDIO = /matches no streams|does not contain any stream|Output file .* does not contain/i

/** Yields PCM chunks until the input ends; throws a typed error when ffmpeg fails. */
export async function* readLiveAudio(
  input: string,
  options: ReadLiveAudioOptions,
): AsyncGenerator<Float32Array> {
  const ffmpeg = options.ffmpegPath ?? process.env.VIGIL_FFMPEG_BIN ?? Bun.which('ffmpeg')
  if (!ffmpeg) {
    throw new EnfDecodeFailedError(
      'ffmpeg is not installed: install it (apt-get install ffmpeg) or set VIGIL_FFMPEG_BIN to its path',
    )
  }
  const child = Bun.spawn(ffmpegArgs(ffmpeg, input, options), {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  options.onSpawn?.(child)
  const stderr = new Response(child.stderr).text()
  const kill = () => child.kill('SIGKILL')
  options.signal?.addEventListener('abort', kill, { once: true })
  let carry = new Uint8Array(0)
  let samples = 0
  let drained = false
  try {
    for await (const chunk of child.stdout) {
      const bytes = carry.length ? concat(carry, chunk) : chunk
      const whole = bytes.length - (bytes.length % 4)
      carry = bytes.slice(whole)
      if (whole === 0) continue
      samples += whole / 4
      yield new Float32Array(bytes.slice(0, whole).buffer)
    }
    drained = true
  } finally {
    options.signal?.removeEventListener('abort', kill)
    // Its output ended: let ffmpeg exit by itself (its exit code says whether the input failed).
    if (!drained) child.kill()
  }
  if (options.signal?.aborted) return
  const code = await child.exited
  if (code !== 0 && samples > 0) {
    throw new EnfInputLostError(
      `ffmpeg stopped after ${(samples / options.sampleRate).toFixed(1)} s of audio (exit ${code ?? child.signalCode}): the input died or was cut`,
      { meta: { exitCode: code } },
    )
  }
  if (code !== 0) {
    if (NO_AUDIO.test(await stderr)) throw new EnfNoAudioError('The input has no audio stream')
    throw new EnfDecodeFailedError(
      `ffmpeg could not read the input's audio (exit ${code}): check the URL or path`,
      { meta: { exitCode: code } },
    )
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
